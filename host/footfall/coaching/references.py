"""Where our advice comes from: the five articles in ../shared/seeds and the research papers we cite.

The articles are quoted by title and file name so a reader can open the very text an advice item rests on.
The titles are the articles' own headings (each appears verbatim in its file; a test checks that).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One article from the seeds folder."""

    key: str  # short handle used in the knowledge table, e.g. "sore_ankles"
    title: str
    file: str  # file name inside the seeds folder

    def cite(self) -> str:
        return f'"{self.title}", `{self.file}`'


ANKLE_PAIN_RUNNING = Article("ankle_pain_running", "Ankle Pain Running", "000_26291d0ae6053238.txt")
WHY_ANKLES_HURT = Article("why_ankles_hurt", "Why do your ankles hurt after running?", "001_e2e46a23ffc03c29.txt")
REGULAR_ANKLE_PAIN = Article(
    "regular_ankle_pain",
    "I have regular ankle pain after my running sessions: what can I do?",
    "002_c1e424e8898c3435.txt",
)
SORE_ANKLES = Article("sore_ankles", "Sore Ankles After Running Treatment", "003_09c472f177128cee.txt")
TOP_CAUSES = Article("top_causes", "Ankle Pain After Running – Top Causes", "004_5337cbcb87cbd1be.txt")

ARTICLES: tuple[Article, ...] = (ANKLE_PAIN_RUNNING, WHY_ANKLES_HURT, REGULAR_ANKLE_PAIN, SORE_ANKLES, TOP_CAUSES)
BY_KEY: dict[str, Article] = {s.key: s for s in ARTICLES}

# Research behind the numeric rules (not from the seeds; cited next to the article sources).
HEIDERSCHEIT_2011 = (
    "Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB. Effects of step rate manipulation on "
    "joint mechanics during running. Med Sci Sports Exerc 2011;43(2):296-302"
)
FRANDSEN_2025 = (
    "Frandsen JSB, Hulme A, Parner ET, et al. How much running is too much? Identifying high-risk running "
    "sessions in a 5200-person cohort study (Garmin-RUNSAFE). Br J Sports Med 2025"
)
ALTMAN_DAVIS_2012 = (
    "Altman AR, Davis IS. A kinematic method for footstrike pattern detection in barefoot and shod runners. "
    "Gait Posture 2012;35(2):298-300"
)
