from django.core.exceptions import ValidationError


def field_error(field: str, message, code: str) -> ValidationError:
    """A ValidationError for one field that keeps its stable ``code`` (the API shows it per field)."""
    return ValidationError({field: ValidationError(message, code=code)})
