"""A strategy broken on purpose: the sql report with Boston's important count off by one."""

from dataclasses import replace

from buildings.analysis.strategies import sql


def analyze(selection=None, on_town=None):
    report = sql.analyze(selection, on_town)
    towns = [replace(t, figures=replace(t.figures, important=t.figures.important + 1))
             if t.town == "Boston" else t for t in report.towns]
    return replace(report, towns=towns)
