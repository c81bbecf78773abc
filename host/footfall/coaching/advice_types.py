"""One entry of the post-run advice list: a run-specific message plus the knowledge items it rests on."""

from __future__ import annotations

from dataclasses import dataclass

from footfall.coaching.knowledge import AdviceItem, Category

# Lower comes first. Professional care always leads when a red flag is present.
PRIORITY: dict[Category, int] = {
    Category.PROFESSIONAL: 0, Category.SELF_CARE: 1, Category.LOAD: 2, Category.TECHNIQUE: 3,
    Category.SHOES: 4, Category.WARMUP: 5, Category.ROUTINE: 6, Category.BACKGROUND: 7,
}


@dataclass(frozen=True)
class Advice:
    category: Category
    title: str
    message: str  # what this run showed, with its figures
    items: tuple[AdviceItem, ...]  # the general guidance, each with its sources
    literature: tuple[str, ...] = ()
    urgency: int = 0  # raises the entry within the list (e.g. a strong load spike, high pain)
    own_values: str = ""  # the thresholds this entry used that no article or study gives: footfall's own
    pauses_training: bool = False  # a red flag or severe pain: training advice waits until the ankle is examined

    @property
    def priority(self) -> tuple[int, int]:
        return (PRIORITY[self.category] - self.urgency, -self.urgency)

    def citations(self) -> list[str]:
        seen: list[str] = []
        for c in [c for i in self.items for c in i.citations()] + list(self.literature):
            if c not in seen:
                seen.append(c)
        return seen

    def to_dict(self) -> dict[str, object]:
        return {"category": self.category.value, "title": self.title, "message": self.message,
                "guidance": [{"key": i.key, "title": i.title, "text": i.text, "sources": i.citations()}
                             for i in self.items],
                "sources": self.citations(), "own_values": self.own_values}

    def own_values_note(self) -> str:
        """"footfall's own starting values (no article gives them): ...", or "" when the entry used none."""
        return f"footfall's own starting values (no article gives them): {self.own_values}" if self.own_values else ""
