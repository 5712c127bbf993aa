"""The declared table of patterns: what each tests, its threshold, its controls, source and date.

Pattern-oriented modelling (Grimm et al. 2005) asks for patterns that could fail. Each row says
what quantity the pattern reads per replicate, the test on it, the share of replicates that must
pass, and the control scenarios in which it must *not* hold (at most ``CONTROL_CEILING`` of their
replicates). A row whose claim the rules guarantee whenever its shocks are present (it holds in a
control, or holds by construction) is a *consistency check*, not evidence: it is reported, but
apart. Changing a definition or a threshold is a decision: change the row, its ``fixed`` date
and ``docs/TRACE.md`` together (a test checks that every row is in TRACE.md).
"""

from __future__ import annotations

from dataclasses import dataclass

PATTERN = "pattern"
CONSISTENCY = "consistency check"
CONTROL_CEILING = 0.2  # a pattern "fails" in a control when it holds in at most this share

FIRST_FIXED = "2026-11-28"  # commit 91e803b: the eight checks first written
REDEFINED = "2026-11-30"  # issue 9: controls, effect sizes, consistency checks apart


@dataclass(frozen=True)
class Control:
    name: str
    description: str


CONTROLS = {c.name: c for c in (
    Control("baseline", "the scenario's background crises only: no US act at all"),
    Control("us_reassurance", "the promised golden age kept (scenarios/us_reassurance.yml's "
                              "events): summit, deal approved, deployments, consultation"),
    Control("tariffs_only", "the scenario's tariffs and background crises only: no security "
                            "shock, no Ukraine strand, no remark, no re-engagement"),
)}


@dataclass(frozen=True)
class PatternSpec:
    number: int
    kind: str
    claim: str
    quantity: str  # what is read per replicate
    unit: str
    rule: str  # the per-replicate test, in words
    threshold: float  # share of replicates that must pass
    controls: tuple[str, ...]
    source: str
    fixed: str  # date the definition and threshold were fixed
    note: str = ""
    reproduced: bool = True  # False: the model is known to miss it (said in TRACE.md, not tuned)


SPECS = (
    PatternSpec(
        1, PATTERN, "Japan's trust in the US falls clearly within six months of the bundled "
        "shocks, while the US stays the preferred partner and there is no bloc switch",
        "fall in Japan's trust in the US over the first six months", "points",
        "fall >= 5 points; trust and alignment above China's every month; security alignment "
        "stays on the US side", 0.9, ("baseline", "us_reassurance"),
        "commentary: 'the level of trust in the US is dropping' yet 'the US remains the preferred "
        "partner'; window 12 -> 6 months before the first commit (TRACE.md)", REDEFINED,
        "only the fall discriminates: the side conditions compare trust 0.34 with 0.06 and are "
        "met in every control (consistency, not evidence)"),
    PatternSpec(
        2, PATTERN, "Japan hedges on the economic axis first, while its security alignment with "
        "the US does not weaken",
        "economic minus security alignment change at 12 months, each against the same run "
        "without the scenario's acts (common random numbers)", "alignment points (x100)",
        "economic change <= -3 points at 12 months; security change >= -2 points in every "
        "month; hedging higher at 12 months than at the start", 0.9,
        ("baseline", "us_reassurance"),
        "commentary: Japan mends ties with China yet will continue 'strengthening its security "
        "alliance with the US'", REDEFINED,
        "was |security change| < 5 points, which allowed a weakening the commentary rules out; "
        "the model does not produce the strengthening either (security alignment ends about one "
        "point lower)"),
    PatternSpec(
        3, PATTERN, "Japan's ties with Australia, the Philippines, South Korea and Europe "
        "strengthen", "smallest rise of Japan's tie with the four partners at 24 months",
        "tie points (x100)", "every tie > 2 points above its start", 0.9,
        ("baseline", "us_reassurance"),
        "commentary: networks of like-minded countries; Cha 2000 (quasi-alliance)", FIRST_FIXED),
    PatternSpec(
        4, PATTERN, "Japan's defence spending rises above its own path in response, but covers "
        "less than half of the way to the demanded 3%",
        "share of the gap from Japan's own plan to 3% of GDP covered at the horizon", "%",
        "10% <= share < 50% and spending never reaches 3%", 0.9,
        ("baseline", "us_reassurance"),
        "commentary: Japan 'determines its defence spending, not at the direction of any other "
        "country'; Lanoszka 2015 (self-help under abandonment fear)", REDEFINED,
        "was 'reaches its own 2% path, stays below 3%', which holds in every control: the plan "
        "is an input. Not reproduced since the event audit of 2026-11-30: the 3% call is a "
        "nominee's words and the official 3.5% request comes in June, so Japan's rise above its "
        "own path is small (median 7% of the gap); the threshold was not lowered to pass",
        reproduced=False),
    PatternSpec(
        5, PATTERN, "The US handling of Ukraine lowers US credibility in Asia, most for Taiwan "
        "and the Philippines", "mean fall of the five Asian allies' trust in the US at six "
        "months caused by the Ukraine support cut (common random numbers)", "points",
        "every Asian ally's trust lower with the cut; Taiwan's and the Philippines' falls both "
        "larger than Japan's, Korea's and Australia's", 0.8, ("baseline", "tariffs_only"),
        "commentary (spill-over); reputation literature (most dependent hurt most: a hypothesis, "
        "not a fact of the commentary)", FIRST_FIXED),
    PatternSpec(
        6, CONSISTENCY, "Trade and security shocks bundled hurt trust more than either alone",
        "extra fall of Japan's trust at 12 months from bundling, beyond the worse strand alone",
        "points", "bundled trust below each strand alone", 0.9, ("tariffs_only",),
        "commentary: allies fear the US backing away from free trade and security commitments",
        REDEFINED,
        "evidence adds up, so it holds whenever both strands are net bad news (100 of 100 "
        "parameter samples); its controls fail only because a strand is missing"),
    PatternSpec(
        7, CONSISTENCY, "Trust rebuilds more slowly than it fell",
        "Japan's trust: fall per month down to its low over rebuilding per month after it",
        "ratio", "falls faster per month than it rebuilds", 0.9, ("baseline", "tariffs_only"),
        "brief (Slovic 1993: trust is lost faster than it is rebuilt)", REDEFINED,
        "holds for any shock followed by recovery, also with negativity_bias = 1: shocks come "
        "within months, recovery at the rate of forgetting"),
    PatternSpec(
        8, CONSISTENCY, "Russia-China alignment stays stable",
        "largest move of Russia's alignment (either axis) from its start", "alignment points "
        "(x100)", "alignment within 10 points, trust in China within 5", 0.95,
        ("baseline", "us_reassurance"), "brief", REDEFINED,
        "no event touches Russia or China and China is a fixed pole: it holds in every control"),
)


def spec(number: int) -> PatternSpec:
    return next(s for s in SPECS if s.number == number)
