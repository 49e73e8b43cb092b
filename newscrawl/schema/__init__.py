"""The shipped JSON Schema of the Article record, and a validator for exported lines."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema


@cache
def article_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one exported line."""
    text = resources.files(__package__).joinpath("article.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(article_schema())


def schema_errors(record: dict[str, Any]) -> list[str]:
    """Every way ``record`` breaks the schema, as readable messages; empty when it is valid."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<record>'}: {error.message}"
        for error in _validator().iter_errors(record)
    ]
