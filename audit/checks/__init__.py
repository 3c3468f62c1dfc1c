"""checks stage: the rules of ``rules.yaml`` evaluated on one report.

Public API::

    ruleset = load_rules()                      # shipped rules.yaml; or load_rules(path, extra=[...])
    findings, checks = run(doc, fields, ruleset, today=None)

``run`` evaluates every per-report rule (``scope: report``) and returns one ``Check`` per rule (pass,
fail, not applicable, not assessable with the reason) and the findings, the identity findings carrying
the localisation of the wrong cells in ``Finding.suggestion``. Cross-report rules (``scope: run``,
``ruleset.run_rules``) are evaluated by ``audit.batch``.
"""
from __future__ import annotations

from audit.checks.engine import run
from audit.checks.ruleset import Rule, RuleSet, load_rules, shipped_path

__all__ = ["Rule", "RuleSet", "load_rules", "run", "shipped_path"]
