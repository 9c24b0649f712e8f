"""Indicators for informed migration governance (issue 16).

Two kinds of figures, kept apart:

- official sources (UN DESA migrant stock, UNHCR population statistics, IOM Missing Migrants,
  World Bank/KNOMAD remittance flows), imported into this app's tables and shown as published
  (`sources.py`, `importers/`);
- figures computed from Enlace's own records (protection cases, tracing, reunifications,
  returns, trafficking, remittance costs), read from each module through its selectors and
  published only under disclosure control (`protection.py`, `enlace.core.disclosure`).

This app stands above every domain app: it imports their selectors, and no app imports it
(their pages reach it through slots).
"""
