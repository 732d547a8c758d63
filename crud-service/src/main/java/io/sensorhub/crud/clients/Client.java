package io.sensorhub.crud.clients;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/** A client application. Its token exists only as a SHA-256 hash. */
@Entity
@Table(name = "clients")
class Client implements Persistable<UUID> {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false)
    private byte[] tokenHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Transient
    private boolean isNew;

    protected Client() {
    }

    Client(UUID id, String name, byte[] tokenHash, Instant now) {
        this.id = id;
        this.name = name;
        this.tokenHash = tokenHash;
        this.createdAt = now;
        this.updatedAt = now;
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        this.isNew = false;
    }

    @Override
    public UUID getId() {
        return this.id;
    }

    @Override
    public boolean isNew() {
        return this.isNew;
    }

    String name() {
        return this.name;
    }

    Instant createdAt() {
        return this.createdAt;
    }

    Instant updatedAt() {
        return this.updatedAt;
    }

    void rename(String newName, Instant now) {
        this.name = newName;
        this.updatedAt = now;
    }

    void replaceTokenHash(byte[] hash, Instant now) {
        this.tokenHash = hash;
        this.updatedAt = now;
    }

}
