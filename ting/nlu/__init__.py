"""Natural-language understanding: intent data, the template matcher and statistical models.

data        YAML intent files -> ``NluDomain`` (validated; errors name file, intent, sentence)
grammar     the template grammar: ``(a|b)``, ``[optional]``, ``{slot}``, ``<rule>``
expand      template expansion and sampling (training, and testing templates both ways)
matcher     the compiled template matcher
linear      multinomial logistic regression over hashed sparse features (numpy)
segment     Chinese word boundaries (jieba) for the models' features
encoder     the optional pretrained sentence encoder for English intents (numpy MiniLM)
tagger      the BIO slot tagger
engine      ``NluEngine``: build (train or load from cache) and parse
"""

from ting.nlu.data import domain_from_examples, domain_from_mapping, load_domain, load_intent_file
from ting.nlu.domain import IntentSpec, ListEntry, NluDomain, NumberRange, SlotList
from ting.nlu.engine import ENGINE_VERSION, NluEngine, NluSettings
from ting.nlu.expand import Expansion, SlotSpan, expand
from ting.nlu.slot_values import ValueBackend, ValuesModule

__all__ = [
    "ENGINE_VERSION",
    "Expansion",
    "IntentSpec",
    "ListEntry",
    "NluDomain",
    "NluEngine",
    "NluSettings",
    "NumberRange",
    "SlotList",
    "SlotSpan",
    "ValueBackend",
    "ValuesModule",
    "domain_from_examples",
    "domain_from_mapping",
    "expand",
    "load_domain",
    "load_intent_file",
]
