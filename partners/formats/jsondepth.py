"""JSON parsed with a limit on nesting: deeper documents are refused, never a crash.

The standard library's parser recurses once per level and raises RecursionError about a
thousand levels down; anything near that is an attack, not a return. No real document of the
hub (a return's rows, an API request) is more than a few levels deep."""

import json

MAX_DEPTH = 32


class TooDeep(ValueError):
    """The document nests lists or objects deeper than allowed."""

    def __init__(self, limit: int):
        super().__init__(f"nested more than {limit} levels deep")
        self.limit = limit


def loads(text: str | bytes, max_depth: int = MAX_DEPTH, **kwargs):
    """``json.loads`` that raises TooDeep past ``max_depth`` levels of lists and objects."""
    try:
        document = json.loads(text, **kwargs)
    except RecursionError as error:
        raise TooDeep(max_depth) from error
    if depth_exceeds(document, max_depth):
        raise TooDeep(max_depth)
    return document


def depth_exceeds(document, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels; iterative, so it cannot
    recurse itself, and it looks only into containers."""
    stack = [(document, 1)] if isinstance(document, dict | list) else []
    while stack:
        node, level = stack.pop()
        if level > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, level + 1) for child in children
                     if isinstance(child, dict | list))
    return False
