"""Coaching: knowledge from the seed articles, live cues, post-run advice, pain check-in and audio outputs.

Entry points: `cues.CueEngine` (live), `outputs.CueOutput` (where cues go), `advice.post_run_advice`
(after the run), `knowledge.ITEMS` (every advice item with its sources).
"""
