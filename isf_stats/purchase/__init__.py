"""Order-behaviour monitoring: BG/NBD repeat-purchase model, customer features and ISF's at-risk score.

Modules: ``summary`` (transactions -> x, t_x, T), ``bgnbd`` (fit and predictions), ``simulate``, ``features``,
``risk`` (signals, combined score, reasons in German and English), ``metrics`` and ``analyst`` (CSV in, report
dict out). Django-free: the web side calls these functions and stores the results.
"""
