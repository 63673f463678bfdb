"""Mock exam assembly (pure core): proportional, deterministic drawing."""

from collections import Counter

from quiz.core.exam import apportion, draw_exam, topic_scores, weakest_topic


def test_largest_remainder_apportionment() -> None:
    # quotas 20 * (46, 37, 25) / 108 = 8.52, 6.85, 4.63: floors 8, 6, 4, then the two
    # largest remainders (0.85, 0.63) win the last two seats
    assert apportion({"a": 46, "b": 37, "c": 25}, 20) == {"a": 8, "b": 7, "c": 5}


def test_apportionment_ties_go_to_the_larger_topic_then_by_name() -> None:
    # quotas 1.5 and 0.5: equal remainders, the larger topic gets the seat
    assert apportion({"p": 3, "q": 1}, 2) == {"p": 2, "q": 0}
    assert apportion({"b": 1, "a": 1}, 1) == {"a": 1, "b": 0}


def test_asking_for_more_than_the_pool_gives_everything() -> None:
    assert apportion({"a": 2, "b": 3}, 10) == {"a": 2, "b": 3}
    assert apportion({"a": 2, "b": 3}, 0) == {"a": 0, "b": 0}


def test_seats_always_add_up_and_never_exceed_a_topic() -> None:
    sizes = {"a": 1, "b": 2, "c": 3, "d": 50, "e": 7}
    for total in range(64):
        seats = apportion(sizes, total)
        assert sum(seats.values()) == total
        assert all(0 <= seats[t] <= sizes[t] for t in sizes)


def test_draw_follows_the_proportions_and_the_seed() -> None:
    pool = [(n, "a") for n in range(46)] + [(100 + n, "b") for n in range(37)]
    pool += [(200 + n, "c") for n in range(25)]
    drawn = draw_exam(pool, 20, seed=5)
    topic = dict(pool)
    assert Counter(topic[q] for q in drawn) == {"a": 8, "b": 7, "c": 5}
    assert len(set(drawn)) == 20
    assert drawn == draw_exam(list(reversed(pool)), 20, seed=5)  # pool order is irrelevant
    assert drawn != draw_exam(pool, 20, seed=6)


def test_topic_scores_and_weakest_topic() -> None:
    scores = topic_scores([("b", True), ("a", False), ("a", True), ("c", False), ("b", True)])
    assert [(s.topic, s.correct, s.total) for s in scores] == [
        ("a", 1, 2),
        ("b", 2, 2),
        ("c", 0, 1),
    ]
    assert weakest_topic(scores) == "c"
    # same score: the topic with more mistakes is weaker
    tie = topic_scores([("x", False), ("y", False), ("y", False)])
    assert weakest_topic(tie) == "y"
    assert weakest_topic([]) is None
