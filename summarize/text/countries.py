"""Countries as speakers: name, demonyms, and the places that stand for a government in news
prose (capital, seat of government). A generic world table, not tuned to any event.

Format per line: ``Name | demonym, ... | alias, ...`` (aliases: short forms, capital, seat).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarize.text.words import fold

_TABLE = """
United States | American | US, U.S., USA, U.S.A., America, Washington, White House, Pentagon
United Kingdom | British, English, Scottish | UK, U.K., Britain, London, Downing Street, England
Russia | Russian | Russian Federation, Moscow, Kremlin
France | French | Paris, Elysee, Elysee Palace
Germany | German | Berlin
China | Chinese | Beijing, PRC
Japan | Japanese | Tokyo
India | Indian | New Delhi, Delhi
Pakistan | Pakistani | Islamabad
Afghanistan | Afghan | Kabul
Iran | Iranian | Tehran
Iraq | Iraqi | Baghdad
Syria | Syrian | Damascus
Turkey | Turkish | Turkiye, Ankara
Israel | Israeli | Jerusalem
Palestine | Palestinian | Palestinian Territories, Ramallah
Lebanon | Lebanese | Beirut
Jordan | Jordanian | Amman
Egypt | Egyptian | Cairo
Saudi Arabia | Saudi | Riyadh
Qatar | Qatari | Doha
Yemen | Yemeni | Sanaa
United Arab Emirates | Emirati | UAE, Abu Dhabi
Libya | Libyan | Tripoli
Tunisia | Tunisian | Tunis
Algeria | Algerian | Algiers
Morocco | Moroccan | Rabat
Nigeria | Nigerian | Abuja
Kenya | Kenyan | Nairobi
Ethiopia | Ethiopian | Addis Ababa
South Africa | South African | Pretoria
Sudan | Sudanese | Khartoum
Ukraine | Ukrainian | Kiev, Kyiv
Belarus | Belarusian | Minsk
Poland | Polish | Warsaw
Italy | Italian | Rome
Spain | Spanish | Madrid
Portugal | Portuguese | Lisbon
Netherlands | Dutch | The Hague, Amsterdam, Holland
Belgium | Belgian | Brussels
Switzerland | Swiss | Bern
Austria | Austrian | Vienna
Sweden | Swedish | Stockholm
Norway | Norwegian | Oslo
Denmark | Danish | Copenhagen
Finland | Finnish | Helsinki
Greece | Greek | Athens
Ireland | Irish | Dublin
Canada | Canadian | Ottawa
Mexico | Mexican | Mexico City
Brazil | Brazilian | Brasilia
Argentina | Argentine, Argentinian | Buenos Aires
Venezuela | Venezuelan | Caracas
Colombia | Colombian | Bogota
Cuba | Cuban | Havana
Australia | Australian | Canberra
New Zealand | New Zealander | Wellington
Indonesia | Indonesian | Jakarta
Philippines | Philippine, Filipino | Manila
North Korea | North Korean | Pyongyang, DPRK
South Korea | South Korean | Seoul
Korea | Korean |
Vietnam | Vietnamese | Hanoi
Thailand | Thai | Bangkok
Malaysia | Malaysian | Kuala Lumpur
Taiwan | Taiwanese | Taipei
Hungary | Hungarian | Budapest
Romania | Romanian | Bucharest
Serbia | Serbian | Belgrade
Georgia | Georgian | Tbilisi
Armenia | Armenian | Yerevan
Azerbaijan | Azerbaijani | Baku
Kazakhstan | Kazakh | Astana
Chile | Chilean | Santiago
Peru | Peruvian | Lima
"""


@dataclass(frozen=True)
class Country:
    name: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass
class CountryTable:
    countries: list[Country]
    _by_name: dict[str, Country] = field(default_factory=dict)
    _by_demonym: dict[str, Country] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.countries:
            for key in (c.name, *c.aliases):
                self._by_name.setdefault(fold(key).rstrip("."), c)
            for d in c.demonyms:
                self._by_demonym.setdefault(fold(d), c)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.countries)

    def lookup(self, folded: str, *, demonym_ok: bool = False) -> Country | None:
        key = folded.strip().rstrip(".")
        if key.startswith("the "):
            key = key[4:]
        hit = self._by_name.get(key)
        if hit is None and demonym_ok:
            hit = self._by_demonym.get(key)
        return hit

    def is_demonym(self, folded: str) -> bool:
        return folded in self._by_demonym

    def demonyms(self) -> list[str]:
        return [d for c in self.countries for d in c.demonyms]


def _parse(table: str) -> list[Country]:
    out = []
    for line in table.strip().splitlines():
        name, dems, aliases = (part.strip() for part in line.split("|"))
        out.append(
            Country(
                name=name,
                demonyms=tuple(d.strip() for d in dems.split(",") if d.strip()),
                aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
            )
        )
    return out


COUNTRIES = CountryTable(_parse(_TABLE))
