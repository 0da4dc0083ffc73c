"""Consultations in several languages: officers' translations of what a consultation
says (its page, survey, idea board and outcome), shown to residents in their language."""
