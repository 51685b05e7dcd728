"""A page's visible text, for tests that read what a member sees."""
import re


def text_of_html(html: str) -> str:
    """Tags removed and whitespace squeezed (a no-break space, which keeps a figure with its unit, too)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " "))


def text_of(response) -> str:
    return text_of_html(response.get_data(as_text=True))
