"""Body blocks: the editorial block types, and sanitising of their inline markup.

An article body is an ordered list of typed editorial blocks. There is no block type for
advertising: sponsored content lives in its own models and is rendered apart.
"""

import nh3
from django.db import models


class BlockType(models.TextChoices):
    HEADING = "heading", "Heading"
    PARAGRAPH = "paragraph", "Paragraph"
    QUOTE = "quote", "Quote"
    IMAGE = "image", "Image"
    LIST = "list", "List"


# Inline markup allowed in paragraphs and list items: links and emphasis, nothing else.
INLINE_TAGS = {"a", "em", "strong", "i", "b"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Block types whose text may carry inline markup; the others are plain text.
RICH_TYPES = {BlockType.PARAGRAPH, BlockType.LIST}


def sanitise_inline_html(html: str) -> str:
    """Return `html` reduced to links and emphasis; scripts, styles and handlers removed."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """Return the text of an inline-markup fragment, tags removed and entities decoded."""
    import html as html_module

    return html_module.unescape(nh3.clean(html, tags=set())).strip()


def sanitise_block_fields(block) -> None:
    """Clean a block's text in place according to its type (see RICH_TYPES)."""
    if block.type in RICH_TYPES:
        if block.type == BlockType.LIST:
            lines = (sanitise_inline_html(line) for line in block.text.splitlines())
            block.text = "\n".join(line for line in lines if line)
        else:
            block.text = sanitise_inline_html(block.text)
    else:
        # Plain-text blocks are escaped when rendered; strip any markup that was pasted in.
        block.text = plain_text(block.text) if "<" in block.text else block.text.strip()
    block.attribution = block.attribution.strip()
