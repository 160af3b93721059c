"""Translation: locales, catalogs, extraction, update, translation of the model, statistics."""


def N_(message: str) -> str:
    """Mark a UI string for extraction without translating it here.

    Strings kept in tables (callout labels...) are translated where they are used,
    with ``tpl.gettext(value)``; wrapping the literal in ``N_`` lets ``pimlearn i18n
    extract`` find it. Direct ``tpl.gettext("literal")`` calls need no marker.
    """
    return message
