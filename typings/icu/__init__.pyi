# What Valgomat uses of PyICU (installed as pyicu-wheels): valgomat/web/collation.py.
class Locale:
    def __init__(self, name: str) -> None: ...

class UCollAttribute:
    NUMERIC_COLLATION: int

class UCollAttributeValue:
    ON: int

class Collator:
    @staticmethod
    def createInstance(locale: Locale) -> Collator: ...
    def setAttribute(self, attribute: int, value: int) -> None: ...
    def getSortKey(self, text: str) -> bytes: ...
