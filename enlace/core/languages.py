"""Interface languages whose records, guides and reference names are read in another language.

Records (country names, practices, commitments) and the user guides are written in the four
working languages; Haitian Creole readers read them in French, Haiti's other official language.
"""

CONTENT_LANGUAGE = {"ht": "fr"}


def content_language(lang: str) -> str:
    """The language whose columns and files a reader of `lang` reads ("ht" → "fr")."""
    return CONTENT_LANGUAGE.get(lang, lang)
