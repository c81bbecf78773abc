"""The knowledge base: every piece of guidance in the five seed articles, in our own words, with its sources.

Training advice only. Nothing here diagnoses, nothing recommends a medicine, and where an article sends the
runner to a professional the item says so. tests/coaching/test_knowledge.py holds a checklist of each
article's advice and fails when a piece is not covered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from footfall.coaching.references import (
    ANKLE_PAIN_RUNNING as A0,
    FRANDSEN_2025,
    HEIDERSCHEIT_2011,
    REGULAR_ANKLE_PAIN as A2,
    SORE_ANKLES as A3,
    TOP_CAUSES as A4,
    WHY_ANKLES_HURT as A1,
    Article,
)


class Category(str, Enum):
    PROFESSIONAL = "see a professional"
    SELF_CARE = "self-care"
    LOAD = "load"
    TECHNIQUE = "technique"
    SHOES = "shoes"
    WARMUP = "warm-up"
    ROUTINE = "stretching and strengthening"
    BACKGROUND = "background"


@dataclass(frozen=True)
class AdviceItem:
    key: str
    category: Category
    title: str
    text: str
    sources: tuple[Article, ...]
    literature: tuple[str, ...] = ()

    def citations(self) -> list[str]:
        return [s.cite() for s in self.sources] + list(self.literature)


def _item(key: str, cat: Category, title: str, text: str, *src: Article, lit: tuple[str, ...] = ()) -> AdviceItem:
    return AdviceItem(key, cat, title, " ".join(text.split()), tuple(src), lit)


P, S, L, T, SH, W, R, B = (Category.PROFESSIONAL, Category.SELF_CARE, Category.LOAD, Category.TECHNIQUE,
                           Category.SHOES, Category.WARMUP, Category.ROUTINE, Category.BACKGROUND)

ITEMS: tuple[AdviceItem, ...] = (
    # --- when to stop and see a professional -------------------------------------------------------------
    _item("red_flags", P, "Stop and get it checked", """Stop running and see a doctor, physiotherapist or
        podiatrist promptly if the pain started with a fall, a twist or a sudden change of direction, or comes
        with swelling, bruising, difficulty moving the ankle, or you cannot bear weight on that foot: the same
        day if you cannot bear weight after a twist or fall. These need a professional examination (sometimes
        imaging); footfall cannot tell what is wrong.""", A2, A4),
    _item("persistent_pain", P, "Pain that keeps coming back", """If ankle pain after your runs comes back
        regularly or does not settle by itself, stop running until you have seen a doctor. Pain that builds up
        gradually interferes little at first, but it still needs to be diagnosed and treated so it does not get
        worse. If you are unsure whether you have injured the ankle, see a doctor.""", A2, A4),
    # the recurring-pain entry once examined: "stop running until you have seen a doctor" no longer fits (QA17 N2)
    _item("recurring_examined", P, "Pain that keeps coming back, once examined", """Once a doctor or
        physiotherapist has examined the ankle, their plan decides how much and how hard you run, and footfall's
        advice comes second. For pain that keeps returning, rehabilitation is a central part of the treatment
        whatever its cause: exercises that ease the symptoms, make the ankle stronger and correct the imbalances
        behind the pain. If it still comes back, or gets worse, while you follow the plan, tell them so they can
        adjust it.""", A2),
    _item("dont_ignore", P, "Don't ignore it, don't tough it out", """Don't ignore ankle pain after running
        and don't delay: it is often the sign of a deeper issue and can grow worse. Don't try to tough it out or
        hide the pain so you can keep training; put training aside until you are fully better. (footfall gives no
        advice on medicines: ask a doctor or pharmacist.)""", A1, A4),
    _item("who_to_see", P, "Who to see", """A podiatrist (foot specialist) is well placed for ankle pain after
        running, as is an orthopaedic sports-medicine physician; a general practitioner will often refer you on.
        A physiotherapist can find the underlying cause of the pain and build a plan around it.""", A4, A0, A2),
    _item("physio_plan", P, "What physiotherapy offers", """A physiotherapy plan for running pain typically
        looks for the underlying problem, reduces post-run pain, teaches better gait mechanics, teaches you to
        warm up and stretch effectively, and helps prevent future injuries. After an injury, massage, mobilisation of the ankle and specific strengthening
        restore movement and stability before a return to sport.""", A0, A2),
    _item("old_injuries", P, "Old injuries and scar tissue", """An old ankle injury can keep hurting:
        scar tissue and weakened ligaments linger. Have it evaluated; a physiotherapist can help it finish
        healing with hands-on therapy that loosens scar tissue and tension and improves circulation and range of
        motion.""", A0, A1),
    # --- self-care -------------------------------------------------------------------------------------------
    _item("price", S, "PRICE for a sore ankle", """PRICE: Protect the ankle (a brace or splint), Rest it,
        Ice it for about 20 minutes with a cloth between ice and skin, Compress it with an elastic bandage that
        is not so tight it cuts off circulation, and Elevate it above the heart when lying down. If it does not
        settle, see a professional.""", A4),
    _item("rest_unhealed", S, "Let a recent injury heal", """An ankle hurt in the last few months may not
        have healed yet, especially if you keep loading it. Rest until it is better rather than staying in pain
        indefinitely.""", A4),
    _item("softer_surfaces", S, "Softer ground", """Run on softer terrain (grass, trails) while your ankles
        are sore; together with new footwear, arch supports and stretching it is one of the quick corrective
        measures runners notice a difference from.""", A4),
    _item("overload_signs", S, "Signs of an overloaded ankle", """The ankle carries your whole body weight
        on a small joint surface at every step, so it is the joint running irritates most. Swelling, redness,
        throbbing pain that eases with rest but flares after a run, hurts more when you run than when you walk,
        and grows the more weight the ankle takes: all of these say reduce the load, and get it checked if it
        stays.""", A3),
    # --- load ---------------------------------------------------------------------------------------------
    _item("too_much_too_soon", L, "Too much too soon", """The most common cause of sore ankles in runners is
        doing too much too soon, often while training for a race such as a marathon. Tissues need about 4-6
        weeks to adapt to the stress of running.""", A3),
    _item("gradual_progression", L, "Build run time gradually", """Increase run time step by step over
        weeks. The article's example for a beginner starting from nothing: 15 minutes per run in the first week,
        then 30, then 45; that is a weekly build-up for a new runner, not a rule for how much one run may grow.
        Going straight from no running to an hour every day, or 1-2 miles or more daily, is more than the body
        can handle.""", A3),
    _item("session_spike", L, "Keep each run close to your recent longest", """Keep each run within about 10%
        of your longest run of the past 30 days. In a cohort of over 5,000 runners, the injury risk rose for any
        single run more than 10% longer than that, and was highest for runs more than double it.""",
        lit=(FRANDSEN_2025,)),
    _item("rest_between_runs", L, "Rest between runs", """Leave enough rest between runs and stay within what
        you can do now. Long distances without rest days load the ankle and foot again and again and can end in
        a tendon or muscle strain or a stress fracture that stops you running until it heals.""", A1, A4),
    # --- technique ----------------------------------------------------------------------------------------
    _item("shorter_steps", T, "Shorter, quicker steps", """Take shorter, quicker steps. A long stride lands
        in front of the body, so the ankle has to brake every landing and the hamstrings and the muscles at the
        front of the shin work harder. More, shorter steps spare your ankles, knees and back (the Sore Ankles
        article); the most durable distance runners take short, choppy steps. Don't run long distances with a
        sprinter's stride. In a lab study, a 5-10% higher step rate at the same speed lowered the load at the
        knee, and at +10% at the hip too (Heiderscheit 2011).""", A3, lit=(HEIDERSCHEIT_2011,)),
    _item("cadence", T, "Cadence", """Raise your step rate (cadence) at the same speed rather than lengthening
        the stride: each step gets shorter and lands closer under the body. Do it gradually: tissues need about
        4-6 weeks to adapt to a new load (the Sore Ankles article). footfall's own plan: start about 5% above
        your usual step rate for a few minutes at a time, then hold it for more of the run over several weeks
        (the step-rate study, Heiderscheit 2011, tested +5% and +10% in a single lab session).""", A3,
        lit=(HEIDERSCHEIT_2011,)),
    _item("shoe_confidence", T, "Cushioning and long strides", """Shoes can make you more confident and
        reduce the pain of landing on the heel, and that confidence invites longer steps: keep the steps short
        even in cushioned shoes.""", A3),
    _item("heavy_heel", T, "Landing heavily on the heel", """Landing heavily on your heels is a gait issue
        that is hard to notice on your own; poor technique costs energy and can cause regular pain after runs.
        The sensor sees heel-first landings and how steeply the toe points up, not how heavy they are; a
        physiotherapist can give balance and gait training (gait retraining) and advise on your running
        technique.""", A1, A2, A0),
    # --- shoes ----------------------------------------------------------------------------------------------
    _item("running_shoes", SH, "Shoes made for running", """Run in shoes made for running that fit your feet,
        support your arches and have enough padding to absorb the shock of landing. Poorly fitting or
        unsupportive shoes strain the ankles over time; a physiotherapist can advise on your equipment.""",
        A1, A2),
    _item("worn_shoes", SH, "Worn-out shoes", """Worn-out, unsupportive shoes are one of the commonest
        triggers of ankle pain after running. Try a new pair first and see whether the pain goes; if it does
        not, or gets worse, look further and have it checked.""", A4),
    _item("orthotics", SH, "Arch supports and orthotic inserts", """Arch supports or orthotic inserts help the
        shoe fit the shape of your foot and can reduce pain and the risk of injury.""", A1, A4),
    # --- warm-up --------------------------------------------------------------------------------------------
    _item("warm_up", W, "Warm up 10-20 minutes", """Before a run, give your feet and ankles a 10-20 minute
        warm-up and start the run itself easy; a proper warm-up may reduce or remove ankle pain. Running on the
        spot for a few minutes helps.""", A4, A0),
    _item("warmup_circles", W, "Ankle circles before the run", """Roll each ankle in circles, about 20 times in
        each direction, and do 2-3 rounds.""", A4),
    _item("ball_massage", W, "Massage the foot with a ball", """Before running, roll the sole of each foot
        over a lacrosse or tennis ball to loosen tight foot muscles, or massage it with your hands: stability
        begins in the foot.""", A4),
    # --- stretching and strengthening ---------------------------------------------------------------------
    _item("calf_stretch", R, "Standing calf stretch", """Standing calf stretch: in a staggered stance lunge
        forward keeping the back heel on the ground until you feel the stretch in the calf. Hold about 30
        seconds, 2-3 times.""", A4),
    _item("ankle_circles", R, "Ankle circles", """Ankle circles lying on the floor: about 15 times clockwise and
        15 anticlockwise to loosen the muscles around the ankle.""", A4),
    _item("calf_raises", R, "Calf raises", """Calf raises: stand with the front of your feet on a raised edge
        such as a kerb, heels free; slowly lower and raise the heels about 15 times, 2-3 sets.""", A4),
    _item("flexibility", R, "Stretch hips, hamstrings, calves and the sole of the foot", """Stretch tight hips,
        hamstrings, calves and the sole of the foot (plantar fascia). Stiffness changes how you land, stand and
        push off (a more bent knee, the foot turning out in pronation, bent hips), overworks some muscles and
        underworks others, and can bring lower back pain too.""", A3),
    _item("strengthening", R, "Strengthening", """Strengthen the leg and ankle muscles: more strength and
        endurance let you run longer without overuse pain, and specific exercises stabilise the ankle and
        correct muscle imbalances. A physiotherapist can set these exercises.""", A1, A2),
    _item("routine_no_guarantee", R, "Exercises help, no guarantee", """These stretches help many runners with
        ankle discomfort but are no guarantee; if pain stays, have it checked.""", A4),
    # --- background -------------------------------------------------------------------------------------
    _item("injuries_common", B, "Injuries are common", """About half of regular runners get an injury of some
        kind each year, and ankles that ache after a run are common, so load, technique and recovery are worth
        planning. Ankle pain has many possible causes, from shoes to flat feet or muscle imbalance, which is
        why persistent pain needs a professional to find the cause.""", A0, A3, A2),
)

BY_KEY: dict[str, AdviceItem] = {i.key: i for i in ITEMS}


def item(key: str) -> AdviceItem:
    return BY_KEY[key]


def items_in(category: Category) -> list[AdviceItem]:
    return [i for i in ITEMS if i.category is category]


def markdown() -> str:
    """The knowledge base as the Markdown list in docs/coaching.md (`python -m footfall.coaching.knowledge`)."""
    lines: list[str] = []
    for cat in Category:
        its = items_in(cat)
        if its:
            lines.append(f"### {cat.value.capitalize()}\n")
            lines += [f"- **{i.title}** (`{i.key}`). {i.text}  \n  *Sources:* {'; '.join(i.citations())}\n"
                      for i in its]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
