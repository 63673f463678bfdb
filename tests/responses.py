"""Responses a learner gives, built from the typed models the screens collect (never a stored
shape written by hand): what someone who knows, or does not know, the answer gives."""

from quiz.services.simulated import WRONG as WRONG
from quiz.services.simulated import respond as respond
