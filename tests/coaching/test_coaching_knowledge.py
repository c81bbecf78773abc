"""The knowledge base covers every piece of advice in the seed articles, each item cites a real article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from footfall.coaching.knowledge import ITEMS, Category
from footfall.coaching.references import ARTICLES

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# For each article: the advice topics it gives, each with a pattern that an item citing that article must
# contain. Written from reading the articles, independently of the knowledge module.
CHECKLIST: dict[str, dict[str, str]] = {
    "000_26291d0ae6053238.txt": {
        "injuries common (about half of runners)": r"half of regular runners",
        "old injuries: scar tissue": r"scar tissue",
        # The article's named (trademarked) techniques and its "virtual sessions" are the clinic's offer, not
        # advice: footfall says a physiotherapist can help "with hands-on therapy" and names no technique or
        # service.
        "hands-on (manual) therapy": r"physiotherapist can help it finish\s+healing with hands-on therapy",
        "range of motion": r"range of motion",
        "evaluation of underlying issues": r"underlying",
        "better gait mechanics": r"gait",
        "warm up and stretch effectively": r"warm up and stretch",
        "prevent future injuries": r"prevent future injuries",
    },
    "001_e2e46a23ffc03c29.txt": {
        "don't ignore pain": r"ignore",
        "shoes that fit": r"fit your feet",
        "arch support": r"arch",
        "padding absorbs shock": r"padding",
        "shoes made for running": r"made for running",
        "orthotic inserts": r"orthotic inserts",
        "rest between runs": r"rest between runs",
        "stay within capabilities": r"within what\s+you can do",
        "strengthening for endurance": r"strength and\s+endurance",
        "landing heavily on the heels": r"heavily on your heels",
        "balance and gait training": r"balance and gait training",
        "old injuries, weakened ligaments": r"weakened ligaments",
        "professional evaluation": r"evaluated",
    },
    "002_c1e424e8898c3435.txt": {
        "trauma: fall or twist": r"fall.*twist|twist.*fall",
        "swelling": r"swelling",
        "bruising (hematoma)": r"bruising",
        "difficulty moving the ankle": r"difficulty moving",
        "cannot stand on the foot": r"bear weight",
        "consult a doctor for regular pain": r"regularly.*doctor",
        "stop running until medical advice": r"stop running until",
        "imaging may be needed": r"imaging",
        "rehabilitation and strengthening": r"strengthen",
        "physio advises technique": r"technique",
        "physio advises shoes/equipment": r"equipment",
        "mobilisation after trauma": r"mobilisation",
        "causes vary (flat feet, muscle imbalance)": r"flat feet",
    },
    "003_09c472f177128cee.txt": {
        "too much too soon": r"too much too soon",
        "4-6 weeks to adapt": r"4-6\s+weeks",
        "race/marathon training": r"marathon",
        "progression 15 -> 30 -> 45 minutes": r"15 minutes.*30.*45",
        "not an hour every day": r"hour every day",
        "stretch hips, hamstrings, calves, plantar fascia": r"hips,\s+hamstrings,\s+calves.*plantar fascia",
        "stiffness alters gait (pronation)": r"pronation",
        "lower back pain": r"lower back pain",
        "take shorter steps": r"shorter",
        "no sprinter stride over distance": r"sprinter",
        "shoes give confidence to take longer steps": r"confidence invites longer steps",
        "spares back, knees and ankles": r"ankles, knees and back",
        "overload signs: swelling, redness, throbbing": r"redness, throbbing",
        "better with rest, worse weight bearing": r"eases with rest.*more weight",
    },
    "004_5337cbcb87cbd1be.txt": {
        "worn-out unsupportive shoes": r"worn-out",
        "try a new pair first": r"new pair",
        "look further if pain persists": r"look further",
        "ball massage (lacrosse/tennis)": r"lacrosse or tennis ball",
        "massage with hands": r"with your hands",
        "rest a recent injury": r"rest until it is better",
        "see a doctor if unsure": r"unsure",
        "warm up 10-20 minutes": r"10-20 minute",
        "ankle circles 20 each way, 2-3 rounds": r"20 times.*2-3 rounds",
        "running on the spot": r"running on the\s+spot",
        "excessive training: stress fracture": r"stress fracture",
        "don't tough it out": r"tough it out",
        "don't mask pain (no medication advice)": r"no\s+advice on medicines",
        "standing calf stretch 30 s": r"calf stretch.*30",
        "ankle circles 15 each way lying": r"15 times clockwise",
        "calf raises 15 x 2-3": r"calf raises.*15 times",
        "PRICE": r"Protect.*Rest.*Ice.*Compress.*Elevate",
        "podiatrist": r"podiatrist",
        "orthopaedic sports medicine": r"sports-medicine",
        "arch supports": r"arch supports",
        "softer terrain": r"softer terrain",
        "no guarantee": r"no guarantee",
    },
}


def _text_citing(file: str) -> str:
    return "\n".join(i.text for i in ITEMS if any(s.file == file for s in i.sources))


@pytest.mark.parametrize("file", sorted(CHECKLIST))
def test_every_article_topic_is_covered(file: str) -> None:
    text = _text_citing(file)
    missing = [topic for topic, pat in CHECKLIST[file].items() if not re.search(pat, text, re.I | re.S)]
    assert not missing, f"{file}: advice not covered: {missing}"


def test_every_article_has_a_checklist() -> None:
    assert {a.file for a in ARTICLES} == set(CHECKLIST)


def test_every_item_has_an_existing_source() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}")
    for it in ITEMS:
        assert it.sources or it.literature, it.key  # a study only (session_spike: Frandsen 2025) is a source too
        for src in it.sources:
            path = SEEDS / src.file
            assert path.is_file(), f"{it.key}: {src.file} missing"
            assert src.title.lower() in path.read_text(encoding="utf-8").lower(), f"{src.title!r} not in {src.file}"


def test_all_seed_files_are_used() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}")
    cited = {s.file for it in ITEMS for s in it.sources}
    assert {p.name for p in SEEDS.glob("*.txt")} <= cited


def test_no_medication_or_diagnosis_language() -> None:
    banned = r"\b(ibuprofen|paracetamol|acetaminophen|naproxen|aspirin|take \w+ pills?|you have (a|an) \w+)\b"
    for it in ITEMS:
        assert not re.search(banned, it.text, re.I), it.key


def test_professional_items_point_to_a_professional() -> None:
    for it in ITEMS:
        if it.category is Category.PROFESSIONAL:
            assert re.search(r"doctor|physiotherap|podiatrist", it.text, re.I), it.key


def test_docs_list_every_item() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "coaching.md").read_text(encoding="utf-8")
    missing = [it.key for it in ITEMS if f"(`{it.key}`)" not in doc]
    assert not missing, f"docs/coaching.md lacks {missing}: regenerate its knowledge section"


def test_numbers_are_credited_only_to_what_gives_them() -> None:
    """The 10% session rule is Frandsen 2025's, not an article's (review: it was credited to articles 003 and
    001, which give no percentage), and the study's risk was highest above 100%, not "higher still beyond 30%"."""
    from footfall.coaching.knowledge import item

    spike = item("session_spike")
    assert spike.sources == () and any("Frandsen" in c for c in spike.citations())
    assert "more than double" in spike.text and "30%" not in spike.text
    assert "not a rule for how much one run may grow" in item("gradual_progression").text


def test_no_clinic_marketing_and_no_overstatement() -> None:
    from footfall.coaching.knowledge import item

    text = " ".join(i.text for i in ITEMS)
    assert not re.search(r"Active Release|Graston|virtual", text)
    assert "painless" not in item("shoe_confidence").text
    assert "not how heavy" in item("heavy_heel").text
    assert "the same day if you cannot bear weight after a twist or fall" in item("red_flags").text
