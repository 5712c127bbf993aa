"""The fixed words of a student handout: glossary, limitations in plain words, questions.

Kept apart from :mod:`sim.outputs.handout` (which assembles a page from a run folder) so a
lecturer can read and edit the teaching text in one place. Each entry is plain text; the page
escapes it.
"""

from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "Trust": (
        "As modelled, trust is a government's belief that another state will keep its word: the "
        "share of the public that trusts it, from 0% to 100% (Japan's trust in the US starts at "
        "the Yomiuri-Gallup figure). It moves with evidence: good acts raise it a little, bad "
        "acts lower it more (negativity bias), and it drifts back slowly (forgetting). Trust is "
        "lost faster than it is rebuilt (Slovic 1993)."),
    "Economic alignment": (
        "Where a state stands between the challenger (-1, China) and the patron (+1, the US) on "
        "trade and investment. It moves with trade shares, tariffs, grievances and engagement."),
    "Security alignment": (
        "Where a state stands between the challenger (-1) and the patron (+1) on defence: basing, "
        "exercises, treaty commitments. It is sticky: it moves slowly, and the model keeps it "
        "apart from trust, because the commentary's point is that trust can fall while the US "
        "stays the preferred partner."),
    "Kuik's hedging spectrum": (
        "Kuik (2008, 2016) orders a smaller state's stances from pure balancing (with the patron "
        "against the challenger) through indirect balancing, dominance denial, economic "
        "pragmatism, binding engagement and limited bandwagoning to pure bandwagoning (with the "
        "challenger). The figures shade these bands behind the mean of the two alignment axes; "
        "the middle stances are hedging."),
    "Abandonment": (
        "The ally's fear that the patron will not come to its help (Snyder 1984). In the model it "
        "grows with the threat the ally faces, its dependence on the patron and its lack of "
        "trust; it draws the spokes of the alliance together (Cha 2000) and raises defence "
        "spending."),
    "Entrapment": (
        "The ally's fear of being dragged into the patron's conflicts (Snyder 1984). It grows with "
        "trust in the patron, the patron's exposure to crises and a lack of shared interest; its "
        "rise pulls security alignment away from the patron. Abandonment and entrapment pull in "
        "opposite directions: that is the alliance security dilemma."),
    "Noise band": (
        "The shaded band around a line holds the middle 80% (10-90%) of the replicates: the same "
        "scenario run many times with random perception errors and random crises. It is NOT the "
        "uncertainty about the world; with the model's parameters also uncertain, the band is "
        "wider (sim run --uncertainty draws trust_bands.png)."),
}

LIMITATIONS: tuple[str, ...] = (
    "The US and China do not decide anything. Their acts (tariffs, summits, coercion) are written "
    "into the scenario as dated events; the model shows how the allies react, not what the great "
    "powers would do next.",
    "Allies do not optimise or look ahead. Their positions drift toward targets set by simple "
    "rules; most coefficients are informed assumptions, not measured values.",
    "Trust is a government's belief, but it starts from opinion polls of the public; the model "
    "treats the two as the same scale.",
    "One month is the smallest step: two events in the same month (the February summit and the "
    "steel tariffs a week later) count together, so their order within the month is lost.",
    "The shaded bands show chance within the model, not how sure we are about the world. A model "
    "can be precisely wrong.",
    "Defence spending is an outcome only: it does not make anyone safer or more threatening in "
    "the model (no arms race).",
    "The model was calibrated to a handful of surveys from one period. It illustrates a "
    "mechanism (trust falls while alignment holds); it does not forecast.",
)

QUESTIONS: tuple[str, ...] = (
    "Trust in the US falls sharply, yet security alignment hardly moves. Which mechanism in the "
    "model keeps them apart, and is that mechanism plausible for Japan in 2025?",
    "Find the low point of Japan's trust. Which events on the timeline come just before it? "
    "Would you expect the same low point if the summit had come after the tariffs?",
    "Which allies end furthest from where they started, and which recover? What do they have in "
    "common (dependence, threat, trade with China)?",
    "Where do the allies sit on Kuik's spectrum at the end? Is 'hedging' a choice the model's "
    "actors make, or a label we put on where they end up?",
    "The commentary says Japan determines its defence spending 'not at the direction of any "
    "other country'. Does the defence figure agree? What would change your mind?",
    "The bands are narrow. Does that make you more confident in the result? Why not?",
    "Pick one limitation listed above. Which conclusion of this handout would it most likely "
    "overturn, and how would you test that with a new scenario?",
)
