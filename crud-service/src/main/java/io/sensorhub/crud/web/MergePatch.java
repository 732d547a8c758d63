package io.sensorhub.crud.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies an RFC 7396 JSON merge patch to a resource's full representation and reads the
 * result back as that representation, so a PATCH is typed, refuses unknown fields and is
 * validated exactly like a replacement: an absent member is unchanged, {@code null}
 * removes it, an object member is merged recursively.
 */
@Component
public class MergePatch {

    private final JsonMapper json;

    private final Validator validator;

    MergePatch(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** The patched and validated representation; a 400 naming the fields otherwise. */
    public <T> T apply(JsonNode patch, T current, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        JsonNode merged = merge(this.json.valueToTree(current), patch);
        T result;
        try {
            result = this.json.treeToValue(merged, type);
        }
        catch (JacksonException ex) {
            throw new InvalidInputException(JsonErrors.field(ex), JsonErrors.message(ex));
        }
        validate(result);
        return result;
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = (target != null && target.isObject()) ? (ObjectNode) target.deepCopy()
                : JsonMapper.shared().createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            }
            else {
                result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }

    private <T> void validate(T value) {
        List<FieldViolation> violations = new ArrayList<>();
        for (ConstraintViolation<T> violation : this.validator.validate(value)) {
            violations.add(new FieldViolation(JsonErrors.cleanPath(violation.getPropertyPath().toString()),
                    violation.getMessage()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

}
