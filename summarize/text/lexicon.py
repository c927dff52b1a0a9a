"""Word lists every stage shares: the stop list, and how lists are written in code."""

from __future__ import annotations


def wordlist(text: str) -> list[str]:
    """Word lists are written as prose blocks (one ``split``) to keep them reviewable."""
    return text.split()


# A generic English stop list: function words carry no topical signal for overlap scores.
STOPWORDS = frozenset(
    wordlist(
        """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say saying told tell according may might must shall
    one two well however mr mrs ms per cent
    """
    )
)
MONTHS = tuple(
    wordlist(
        """
    january february march april may june july august september october november december
    """
    )
)
WEEKDAYS = tuple(wordlist("monday tuesday wednesday thursday friday saturday sunday"))
# Calendar and time words: frequent in every news story, so they say nothing about its topic.
TIME_WORDS = frozenset([*wordlist("new last first year years day days week time"), *WEEKDAYS])

# Words publications are named with (general knowledge of how newspapers, broadcasters and
# sites name themselves, not a list of outlets).
OUTLET_WORDS = frozenset(
    wordlist("""news post times journal herald tribune gazette telegraph guardian chronicle observer
    express mail star sun daily weekly magazine review report press wire world today tv radio
    network media online insider monitor standard independent examiner caller register
    inquirer bulletin courier dispatch sentinel record globe mirror reporter digest""")
)

# Plural nouns that name a group only by what modifies them ("Western governments", "Russian
# officials", "Syrian rebels" are named by "the West", "Russia", "Syrian"): general English,
# not a list of holders.
COLLECTIVE_HEADS = frozenset(
    wordlist("""governments government officials authorities leaders countries nations states
    allies critics analysts experts observers diplomats lawmakers politicians forces troops
    militants rebels fighters groups sources people residents citizens media""")
)
