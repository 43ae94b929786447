"""Rule-based extraction of quoted and reported statements from news articles.

``extract_quotes(text)`` returns every unit that ``shared/annotation/GUIDELINES.md`` section 1
defines (direct, indirect and mixed), with exact offsets, the speaker (pronouns and titles
resolved to the fullest name in the article), the cue and the sentence it stands in. Pure
Python and regular expressions: no model, no torch.
"""

from .assemble import extract_quotes
from .types import Quote

__all__ = ["Quote", "extract_quotes"]
