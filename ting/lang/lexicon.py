"""Small word lists for language identification: very frequent words and telling letters.

The lists are short on purpose: they only need to tell English (which wins every tie) from a
handful of other Latin-script languages, and to find the grammatical frame of a sentence that
mixes Chinese and English. Words are lower case; ``’`` is written ``'``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH: Final = _words(
    """
    a an the and or but nor so if then than as of to in on at for from with without by about
    into onto over under after before between through during until up down off out away back
    again also just only very too more most less much many some any all each every both few
    other another such own same this that these those it its it's itself i i'm i'd i'll i've
    me my mine myself you you're your yours yourself he him his she her hers we us our ours
    they them their theirs what what's whats which who who's whom whose when where where's why
    how how's there there's here is are was were be been being am do does did done don't
    doesn't didn't have has had having can can't cannot could couldn't will won't would
    wouldn't should shall may might must not no yes yeah yep nope please thanks thank hello hi
    hey bye goodbye ok okay sure um uh er hmm let let's get got go going gonna want wanna need
    like know think say said tell told ask give make made take put set turn play stop pause
    resume continue cancel start begin end remind show find search look check call send read
    open close add remove delete clear change switch increase decrease raise lower mute unmute
    skip repeat next previous louder quieter volume timer timers alarm alarms minute minutes
    second seconds hour hours day days week weeks month months year years time times clock
    today tonight tomorrow yesterday now morning afternoon evening night noon midnight weather
    forecast temperature degrees rain snow sunny cold hot light lights lamp music song songs
    playlist radio news list shopping grocery groceries item items room kitchen bedroom
    living bathroom garage home house door new old good great big small long short first last
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty hundred half quarter past o'clock pm per come see hear listen watch wake sleep
    buy eat drink cook met mean means say spell translate called named
    """
)

ENGLISH_STARTERS: Final = _words(
    """
    set turn play stop pause resume continue cancel start remind tell show give make open close
    add remove delete clear change switch increase decrease raise lower mute unmute skip repeat
    call send read find search check let let's what what's whats how how's when where where's
    who who's why which is are can could would will do does did please i i'm i'd
    """
)
"""Words that open an English command or question; the opening word weighs extra."""

ENGLISH_FRAME: Final = _words(
    """
    a an the this that these those my your me you i it its to for of in on at from with by
    about into and or is are was were be am do does did can could would will should what
    what's whats how how's when where where's who who's why which there here set turn play stop
    pause cancel start remind tell show give make open close add remove switch put call send
    read find search check let let's want need like some any all
    """
)
"""English grammar and command words: they decide the frame of a Chinese-English sentence."""

ENGLISH_CLITICS: Final = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})
"""Endings after an apostrophe that mark English (Macy's, they'd)."""

_OTHER_LATIN: Final = {
    "fr": """
        le la les un une des du de et est il elle ils elles nous vous je tu ce cet cette ces
        c'est que qui quoi quel quelle quels quelles où comment pourquoi quand combien pour par
        avec sans dans sur sous pas ne mais ou donc très bien bonjour bonsoir salut merci oui
        non heure heures minuteur réveil mets mettre règle allume éteins lumière musique météo
        temps aujourd'hui demain ça va s'il plaît sont suis fait faire peux veux moi toi mon ma
        mes ton ta au aux y en dit dis dites deux trois quatre cinq sept huit neuf dix l' d' j'
        qu' n' s' c' m' t'
    """,
    "es": """
        el la los las un una unos unas de del y que qué en es está están por para con sin cómo
        como cuál cual cuándo cuando dónde donde quién quien esta hora horas hola gracias
        buenos buenas días noches tardes
        pon ponme dime cuánto cuántos minutos alarma temporizador favor mi tu su hoy mañana
        hace tiempo muy bien sí lo le se al pero más también puedes quiero necesito apaga
        enciende luz luces música estoy eres soy dos tres cuatro cinco seis siete ocho nueve
        diez
    """,
    "de": """
        der die das den dem des ein eine einen einem einer und ist sind nicht ich du sie er
        wir ihr es zu auf für mit von wie was wer wo wann warum welche welcher spät uhr
        wecker bitte danke nein ja mir mich dich dir heute morgen stelle stell mach mache
        minuten nach noch schon aber oder habe hast hat kannst können licht bin bist guten tag
        abend zwei drei vier fünf sechs sieben acht neun zehn wie viel
    """,
    "it": """
        il lo la gli le un uno una di del della dello dei e è che chi come dove quando perché
        quanto quale cosa non per con su da sono sei siamo ho hai ora ore ciao grazie
        buongiorno buonasera prego sveglia minuti metti accendi spegni luce musica oggi domani
        tempo mi ti ci si questo questa quello molto bene anche però sì fammi dimmi puoi voglio
        imposta l' un' dell' c'è due tre quattro cinque sette otto nove dieci
    """,
    "pt": """
        o os as um uma de do da dos das e é que quem como onde quando porque qual quanto em no
        na nos nas para por com sem não sim eu você ele ela nós meu minha seu sua está estou
        horas hora olá obrigado obrigada bom boa dia tarde noite hoje amanhã tempo liga
        desliga luz música põe coloca alarme minutos muito bem também mas ou isso isto esse
        essa aqui favor dois três quatro cinco seis sete oito nove dez
    """,
    "nl": """
        de het een en van op te dat die niet voor zijn er maar om aan ook als bij naar wat hoe
        waar wie wanneer waarom ik jij je wij ze mijn laat uur hallo dank bedankt alsjeblieft
        graag goedemorgen vandaag morgen zet uit licht lampen muziek wekker minuten kun kunt
        kan wil moet ja nee hoeveel welke deze dit heb hebt heeft ben bent weer tijd twee drie
        vier vijf zes zeven acht negen tien
    """,
    "pl": """
        jest która który które czy nie się jak co na w z że proszę dzień dobry cześć godzina
        ustaw włącz wyłącz minut dziękuję jaka jaki jutro dzisiaj
    """,
    "tr": """
        bir ve bu ne saat kaç merhaba teşekkür için mı mi mu mü var yok lütfen nasıl nedir
        bugün yarın dakika
    """,
    "vi": """
        xin chào cảm ơn không là của và có tôi bạn mấy giờ rồi bây nhiêu được hôm nay mai phút
    """,
}

LATIN_WORDS: Final = MappingProxyType(
    {language: _words(text) - ENGLISH for language, text in _OTHER_LATIN.items()}
)
"""Frequent words of each non-English Latin-script language, minus every word in ``ENGLISH``
(so a shared word such as "in", "me" or "no" never counts against English)."""

STRONG_WORDS: Final = _words(
    """
    hola gracias bonjour bonsoir merci danke bitte nein guten grazie buongiorno buonasera
    obrigado obrigada olá bedankt goedemorgen alsjeblieft dziękuję cześć merhaba teşekkür
    """
)
"""Words that on their own are enough to name their language."""

LETTER_HINTS: Final = MappingProxyType(
    {
        **dict.fromkeys("ßäö", ("de",)),
        "ü": ("de", "tr"),
        "ñ": ("es",),
        **dict.fromkeys("ãõ", ("pt",)),
        "ç": ("fr", "pt", "tr"),
        "é": ("fr", "es", "pt", "it"),
        "è": ("fr", "it"),
        "ê": ("fr", "pt", "vi"),
        "à": ("fr", "it", "pt", "vi"),
        "â": ("fr", "pt", "vi"),
        "ô": ("fr", "pt", "vi"),
        **dict.fromkeys("îûœ", ("fr",)),
        "ù": ("fr", "it", "vi"),
        **dict.fromkeys("ëï", ("fr", "nl")),
        **dict.fromkeys("áíóú", ("es", "pt", "vi")),
        **dict.fromkeys("ìò", ("it", "vi")),
        **dict.fromkeys("łąęśźżćń", ("pl",)),
        **dict.fromkeys("ığş", ("tr",)),
        **dict.fromkeys("ơưđă", ("vi",)),
    }
)
"""Letters typical of some languages (one hint per word counts); Vietnamese tone letters
(U+1EA0 to U+1EF9) are recognised by range in the detector."""

ZH_FRAME: Final = _words(
    """
    把 被 的 了 吗 呢 吧 啊 呀 嘛 我 你 您 他 她 它 们 帮 给 请 让 打开 关掉
    关上 关闭 设置 设 定个 取消 提醒 播放 放一下 暂停 继续 告诉 查一下 查查
    一下 是 在 有 没有 不 几 什么 怎么 怎么样 哪 多少 为什么 谁 这 那 个 要 想
    能 会 可以 和 跟 到 从 看看
    """
)
"""Chinese particles, pronouns and command verbs: they decide the frame of a mixed sentence."""
