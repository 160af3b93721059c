"""Translation: locales, catalogs, extraction, update, translation of the model, statistics."""
