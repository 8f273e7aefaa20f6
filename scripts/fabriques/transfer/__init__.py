"""Transfer to other territories: the scenario calculator (the guide itself is a report, reports/transfer_guide)."""
