"""Tagging: officers code contributions to the framework and to each consultation's themes.

Terms (framework) and themes (a consultation's own codebook) are both "codes". A
code is written as a key, ``term-<id>`` or ``theme-<id>``, wherever one list holds
both (forms, suggestions, the classifier's labels, exports).
"""
