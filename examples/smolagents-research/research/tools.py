"""Tools of the search agent besides smolagents' own web search and page reader."""

import arxiv
from smolagents import tool


@tool
def arxiv_search(query: str, max_results: int = 5) -> str:
    """Searches arXiv and returns the title, authors, date and abstract of the best matches.

    Args:
        query: the search terms, e.g. "speculative decoding survey".
        max_results: how many papers to return (at most 10).
    """
    search = arxiv.Search(query=query, max_results=min(max_results, 10))
    papers = arxiv.Client().results(search)
    return "\n\n".join(
        f"{p.title} ({p.published:%Y-%m-%d}) by {', '.join(a.name for a in p.authors)}\n{p.entry_id}\n{p.summary}"
        for p in papers
    )
