package io.sensorhub.crud.clients;

import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** Clients, listed in id order with a keyset cursor. */
interface ClientRepository extends JpaRepository<Client, UUID> {

    List<Client> findAllByOrderByIdAsc(Limit limit);

    List<Client> findByIdGreaterThanOrderByIdAsc(UUID after, Limit limit);

}
