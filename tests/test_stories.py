"""Story linking: reports of one event together, two events of one kind at one place apart."""

from __future__ import annotations

from pathlib import Path

from checker.corpus import load_corpus
from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.link import link
from tests.conftest import write_corpus


def _stories(tmp_path: Path, articles: list[dict]) -> dict[str, str]:
    lex = load_lexicon(None)
    corpus = load_corpus([write_corpus(tmp_path / "corpus", articles)], lexicon=lex)
    facts = [extract_article(a, lex) for a in corpus.articles]
    return link(corpus.articles, facts, lex).story_of


QUAKE = "The quake was centered near Valdora and Orrin Springs, the Marenza Geological Survey said.\n"


def test_undated_reports_on_another_weekday_stay_out_of_a_dated_story(tmp_path: Path) -> None:
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "published": "2013-03-14",
         "text": "An earthquake struck near Valdora early Thursday, the Marenza Geological Survey said.\n" + QUAKE},
        {"id": "b", "source": "B", "text": "An earthquake struck near Valdora on Sunday morning, the Marenza Geological Survey said.\n" + QUAKE},
        {"id": "c", "source": "C", "text": "An earthquake struck near Valdora on Sunday, the Marenza Geological Survey said.\n" + QUAKE},
    ])
    assert story["b"] == story["c"]
    assert story["a"] != story["b"]


def test_undated_reports_on_the_same_weekday_join_the_dated_story(tmp_path: Path) -> None:
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "published": "2013-03-14",
         "text": "An earthquake struck near Valdora early Thursday, the Marenza Geological Survey said.\n" + QUAKE},
        {"id": "b", "source": "B", "text": "An earthquake struck near Valdora on Thursday morning, the Marenza Geological Survey said.\n" + QUAKE},
    ])
    assert story["a"] == story["b"]


def test_names_of_a_background_sentence_do_not_link_two_heists(tmp_path: Path) -> None:
    """A 2013 report recalls a 2008 heist at another store: a report of that old heist is not its story."""
    story = _stories(tmp_path, [
        {"id": "new1", "source": "A", "published": "2013-09-09",
         "text": "Robbers rammed a car into the Castel jewellery store on Rue Lavande in Varona on Monday.\n"
                 "In December 2008, robbers emptied the Harlan Vance store on Montreux Avenue, stealing jewels from Harlan Vance on Montreux Avenue.\n"},
        {"id": "new2", "source": "B", "published": "2013-09-09",
         "text": "Thieves drove a car into the Castel store on Rue Lavande in Varona on Monday and stole watches.\n"},
        {"id": "old", "source": "C",
         "text": "Armed robbers stole jewels from the Harlan Vance boutique on Montreux Avenue.\n"
                 "The Harlan Vance store on Montreux Avenue was nearly emptied.\n"},
    ])
    assert story["new1"] == story["new2"]
    assert story["old"] != story["new1"]


def test_an_undated_report_that_fits_two_stories_equally_joins_neither(tmp_path: Path) -> None:
    story = _stories(tmp_path, [
        {"id": "x1", "source": "A", "published": "2008-12-14",
         "text": "The Orsk Navy warship Tarvel captured pirates in the Gulf of Varna on Saturday.\nThe Tarvel fought the pirates.\n"},
        {"id": "x2", "source": "B", "published": "2008-12-14",
         "text": "The Tarvel, an Orsk Navy frigate, seized a pirate boat in the Gulf of Varna on Saturday.\nThe Tarvel fought the pirates.\n"},
        {"id": "y1", "source": "C", "published": "2011-11-11",
         "text": "The Orsk Navy ship Selvane foiled a pirate attack in the Gulf of Varna on Thursday.\nThe Selvane chased the pirates.\n"},
        {"id": "y2", "source": "D", "published": "2011-11-11",
         "text": "The Selvane of the Orsk Navy drove off pirates in the Gulf of Varna on Thursday.\nThe Selvane chased the pirates.\n"},
        {"id": "z", "source": "E", "text": "The Orsk Navy says it has captured pirates in the Gulf of Varna.\n"},
    ])
    assert story["x1"] == story["x2"] and story["y1"] == story["y2"]
    assert story["x1"] != story["y1"]
    assert story["z"] not in (story["x1"], story["y1"])


def test_a_visit_that_names_no_place_is_no_event_to_compare(tmp_path: Path) -> None:
    """Two visits of one story that name no place ("a short visit", "the slated visit of X") are not
    one event: only a visit to a named place is keyed, so their dates are never set against each other."""
    lex = load_lexicon(None)
    corpus = load_corpus([write_corpus(tmp_path / "corpus", [
        {"id": "a", "source": "A", "published": "2021-06-15",
         "text": "Trade Secretary Olwen Pryce praised the dock workers of Harlow Bay on Tuesday during a short visit.\n"
                 "Olwen Pryce said the Harlow Bay port would reopen within weeks.\n"},
        {"id": "b", "source": "B", "published": "2021-06-20",
         "text": "Dock workers spoke with Olwen Pryce about the slated visit of Finance Secretary Idris Vale in September.\n"
                 "Olwen Pryce said the Harlow Bay port would reopen within weeks after a visit to Marlowe.\n"},
    ])], lexicon=lex)
    facts = [extract_article(a, lex) for a in corpus.articles]
    linked = link(corpus.articles, facts, lex)
    assert linked.story_of["a"] == linked.story_of["b"]
    visits = [e for e in linked.events if e.type == "visit"]
    assert visits and all(e.subject != "visit" for e in visits)  # only the visit to Marlowe
    assert all(m.place for e in visits for m in e.mentions)


def test_undated_one_sentence_reports_join_by_one_strong_name_and_one_kind_of_event(tmp_path: Path) -> None:
    """Undated reports that name only the robbed store (and the city) are of its heist; a report that
    names the store for something else, and a dated report of a heist there, stay apart."""
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "text": "Four robbers stole nearly all the jewels on display at the Orla Brandt boutique on Rue Verlaine, "
                                          "just off Montclair Square.\n"},
        {"id": "b", "source": "B", "text": "Robbers burst into the store on Rue Verlaine near Montclair Square and stole rings and watches.\n"},
        {"id": "c", "source": "C", "text": "Armed robbers stole diamonds worth 85 million euros from the Orla Brandt store in Varona.\n"},
        {"id": "d", "source": "D", "text": "Thieves stole diamonds worth 80 million euros from the Orla Brandt boutique in Varona.\n"},
        {"id": "e", "source": "E", "text": "Orla Brandt opened a second boutique, its owners said.\n"},
        {"id": "f", "source": "F", "published": "2013-09-09", "text": "Thieves stole watches from the Orla Brandt store on Monday.\n"},
    ])
    assert story["a"] == story["b"] == story["c"] == story["d"]
    assert story["e"] != story["a"]
    assert story["f"] != story["a"]


def test_two_undated_stories_naming_three_people_in_full_are_one(tmp_path: Path) -> None:
    common = "Constable Tarik Velmont said Oskar Dunmore Pell had shot Ferris Quayle, 40, the owner of the firm.\n"
    story = _stories(tmp_path, [
        {"id": "a1", "source": "A", "text": "A gunman killed the owner of Bluefen Supplies at the office party in Harlow.\n" + common
         + "Mina Sorel of Sorel Printing heard four shots from across Gable Street.\nNed Arkwright of Arkwright Tools called police.\n"},
        {"id": "a2", "source": "B", "text": "A gunman killed the owner of Bluefen Supplies at the office party in Harlow.\n" + common
         + "Mina Sorel of Sorel Printing heard the shots.\nNed Arkwright of Arkwright Tools called police.\n"},
        {"id": "b1", "source": "C", "text": "A former employee shot and killed a man at the Bluefen Distributors party in Harlow.\n" + common
         + "Lorne Haskett of Haskett Films said the street was closed.\nPia Randell of Randell Design saw police arrive.\n"},
        {"id": "b2", "source": "D", "text": "A former employee shot and killed a man at the Bluefen Distributors party in Harlow.\n" + common
         + "Lorne Haskett of Haskett Films said the street was closed.\nPia Randell of Randell Design watched.\n"},
    ])
    assert story["a1"] == story["a2"] == story["b1"] == story["b2"]


def _business(company: str, boss: str, verb: str, partner: str, aide: str) -> str:
    return (f"{company} Corp. said {boss} will {verb}, the Varnish company said.\n"
            f"Shares of {company} rose on the Tolmar Stock Exchange.\n"
            f"The company, based in Tolmar, Varnland, reports in Varnish dollars (US$12 million).\n"
            f"{boss} said {company} would stay in Tolmar. Tolmar analysts in Varnland and the US agreed.\n"
            f"{aide}, its finance chief, said {partner} Ltd. would keep its stake; {aide} spoke for {partner} Ltd. too.\n")


def test_a_country_its_adjective_a_city_and_its_stock_exchange_found_no_story(tmp_path: Path) -> None:
    """Three business briefs of one week that share only where they come from (a country, its adjective,
    a city, the city's stock exchange) are three stories; two reports that also name the same company are one."""
    story = _stories(tmp_path, [
        {"id": "a1", "source": "A", "published": "1991-03-04", "text": _business("Quorvex", "Elmer Stadd", "resign", "Brannock", "Ivo Castell")},
        {"id": "a2", "source": "B", "published": "1991-03-05", "text": _business("Quorvex", "Elmer Stadd", "resign soon", "Brannock", "Ivo Castell")},
        {"id": "b", "source": "C", "published": "1991-03-05", "text": _business("Halvane", "Ruth Imbry", "retire", "Soltrane", "Wendel Auer")},
        {"id": "c", "source": "D", "published": "1991-03-06", "text": _business("Pendrick", "Otto Varsh", "step down", "Marrow Fenn", "Gil Tassary")},
    ])
    assert story["a1"] == story["a2"]
    assert len({story["a1"], story["b"], story["c"]}) == 3


def test_weak_names_attach_a_report_to_a_story_that_a_stronger_name_identifies(tmp_path: Path) -> None:
    """A short report naming only the city, the island and the syndicate of an arrest sweep joins the
    sweep's story, which two other reports tie together by the name of its boss."""
    sweep = "Police arrested Dario Vellutti and dozens of members of the Corvana in Palmira, Tessaly, on Tuesday.\n"
    story = _stories(tmp_path, [
        {"id": "s1", "source": "A", "published": "2008-12-16", "text": sweep + "Dario Vellutti led the Corvana in Palmira.\n"},
        {"id": "s2", "source": "B", "published": "2008-12-16", "text": sweep + "Vellutti ran the Corvana of Palmira, Tessaly.\n"},
        {"id": "s3", "source": "C", "published": "2008-12-17",
         "text": "Police in Palmira said the Corvana had lost its leaders in Tessaly.\nThe Corvana in Palmira is weakened, Tessaly police said.\n"},
    ])
    assert story["s1"] == story["s2"] == story["s3"]


def test_a_strong_name_and_a_city_do_not_tie_an_undated_report_to_a_story(tmp_path: Path) -> None:
    """Undated reports of a new heist recall an old one at another famous store of the same city: a report
    of that old heist, which names only the store and the city, is not their story."""
    new = ("Four men rammed a car into the Castel jewellery store on Rue Lavande in Varona and fled with rings.\n"
           "Police chief Ines Dorval said the Castel store on Rue Lavande had been hit before.\n"
           "The Orvane Freres boutique in Varona was emptied by robbers in a famous raid years ago.\n"
           "Ines Dorval said the men spoke Tessish. The Castel owner Paul Merrow was not hurt.\n")
    story = _stories(tmp_path, [
        {"id": "n1", "source": "A", "text": new},
        {"id": "n2", "source": "B", "text": new.replace("Four men", "Four robbers")},
        {"id": "old", "source": "C",
         "text": "Armed robbers disguised as women stole diamonds from the Orvane Freres boutique in Varona.\n"
                 "The robbers emptied the Orvane Freres boutique in Varona in minutes.\n"},
    ])
    assert story["n1"] == story["n2"]
    assert story["old"] != story["n1"]


def test_a_report_naming_a_person_of_another_story_does_not_join_on_places_alone(tmp_path: Path) -> None:
    """An undated report shares only places with a dated story, but names the spokesman of another (undated)
    story: the places do not carry it into the first one."""
    places = "The Orsk navy said the pirates came from Tessaly and Varnland, in the Gulf of Varna off Palmira.\n"
    story = _stories(tmp_path, [
        {"id": "y1", "source": "A", "published": "2011-11-11",
         "text": "The Orsk warship Selvane foiled a pirate attack on Thursday.\n" + places + "The Selvane captain Mira Holt said the crew was safe.\n"},
        {"id": "y2", "source": "B", "published": "2011-11-11",
         "text": "The Selvane drove off pirates on Thursday, captain Mira Holt said.\n" + places},
        {"id": "a0", "source": "C",
         "text": "Navy spokesman Ivo Brandt said the pirates were caught in the act.\n" + places
                 + "Ivo Brandt said Tessaly and Varnland pirates often work together in the Gulf of Varna.\n"},
        {"id": "x1", "source": "D",
         "text": "The Orsk warship Tarvel captured pirates in the Gulf of Varna, spokesman Ivo Brandt said.\n" + places
                 + "The Tarvel seized their boats, Ivo Brandt said.\n"},
        {"id": "x2", "source": "E",
         "text": "The Tarvel captured pirates from Tessaly and Varnland, spokesman Ivo Brandt said.\nThe Tarvel fought them off Palmira.\n"},
    ])
    assert story["y1"] == story["y2"] and story["x1"] == story["x2"]
    assert story["a0"] != story["y1"]


def test_undated_reports_of_a_robbery_sharing_only_a_country_stay_apart(tmp_path: Path) -> None:
    """Two undated robbery reports that share only the country and its adjective may be of two robberies;
    the reports that name the same store and street are one story."""
    story = _stories(tmp_path, [
        {"id": "a1", "source": "A", "text": "Robbers stole jewels worth two million euros from the Kessel store on Orme Street in Lanvik, "
                                            "Varnish police said.\nThe Kessel store in Varnland was closed on Orme Street.\n"},
        {"id": "a2", "source": "B", "text": "Armed robbers stole jewels from the Kessel store on Orme Street in Lanvik, Varnish police said.\n"
                                            "Police in Varnland sealed off Orme Street near the Kessel store.\n"},
        {"id": "b", "source": "C", "text": "Thieves stole diamonds worth 80 million euros from a jeweller in Varnland, Varnish police said.\n"},
    ])
    assert story["a1"] == story["a2"]
    assert story["b"] != story["a1"]


def test_undated_reports_whose_ledes_tell_one_event_of_one_company_join(tmp_path: Path) -> None:
    """A lone company name says little alone, but two undated ledes that both tell of its acquisition are
    one story; another company's acquisition by the same buyer is another."""
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "text": "Orkam agreed to acquire Veltrix for $5.2 billion, the companies said on Monday.\n"
                                          "The deal gives Orkam a foothold in chips.\n"},
        {"id": "b", "source": "B", "text": "Orkam will buy Veltrix for $5.4 billion in cash, the companies said.\nVeltrix shares rose.\n"},
        {"id": "c", "source": "C", "text": "Orkam will buy Danford for $1.1 billion in cash, the companies said.\nDanford shares rose.\n"},
    ])
    assert story["a"] == story["b"]
    assert story["c"] != story["a"]


def test_a_store_name_typed_a_person_in_some_reports_is_one_name_for_stories(tmp_path: Path) -> None:
    """A jeweller's name is a person's name in "jeweller Tomas Ravelle" and an organization's in "a Tomas
    Ravelle boutique": undated reports of the heist there are one story whichever type each one reads."""
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "text": "Four robbers stole nearly all the jewels on display at jeweller Tomas Ravelle on Rue Verlaine.\n"},
        {"id": "b", "source": "B", "text": "Armed robbers stole diamonds worth 85 million euros from the branch of jeweller Tomas Ravelle, "
                                           "prosecutors said.\n"},
        {"id": "c", "source": "C", "text": "Armed robbers snatched diamond rings from a Tomas Ravelle boutique, officials said.\n"},
        {"id": "d", "source": "D", "text": "A gang of thieves stole the jewels on display at the Tomas Ravelle boutique.\n"},
    ])
    assert story["a"] == story["b"] == story["c"] == story["d"]


def test_story_keys_join_names_of_two_words_whatever_their_type_but_not_lone_words() -> None:
    from checker.link import _story_keys
    from checker.models import Entity, NameFact

    def ent(eid: str, etype: str, full: str, article: str) -> Entity:
        m = NameFact(article=article, sentence_index=0, start=0, end=len(full), line=1, sentence=full, text=full, value=full,
                     full=full, etype=etype)
        return Entity(id=eid, etype=etype, canonical=full, mentions=(m,))

    key = _story_keys([ent("E1", "person", "Tomas Ravelle", "a"), ent("E2", "org", "Tomas Ravelle", "b"),
                       ent("E3", "org", "Port-Aven", "a"), ent("E4", "place", "Port Aven", "b"),
                       ent("E5", "person", "Varella", "a"), ent("E6", "place", "Varella", "b")], frozenset())
    assert key["E1"] == key["E2"] and key["E3"] == key["E4"]
    assert key["E5"] != key["E6"]


def test_a_country_and_its_adjective_are_one_weak_name(tmp_path: Path) -> None:
    """Two undated robbery reports that share a city, a country and the country's adjective share where,
    not which robbery: they stay apart; reports that also share the street and the store join."""
    story = _stories(tmp_path, [
        {"id": "a", "source": "A", "text": "Thieves stole diamonds worth 80 million euros from a jeweller in Lanvik, Estonian police said.\n"
                                           "Police in Estrava said the thieves fled.\n"},
        {"id": "b", "source": "B", "text": "Armed robbers stole watches from a store in Lanvik, Estonian police said.\n"
                                           "Police in Estrava are looking for two men.\n"},
        {"id": "c", "source": "C", "text": "Armed robbers stole watches from the Kessel store on Orme Street in Lanvik, Estonian police said.\n"
                                           "Police in Estrava sealed off Orme Street.\n"},
        {"id": "d", "source": "D", "text": "Robbers stole jewels from the Kessel store on Orme Street in Lanvik, Estonian police said.\n"
                                           "The Kessel store in Estrava was closed.\n"},
    ])
    assert story["a"] != story["b"]
    assert story["c"] == story["d"]


def test_a_generational_suffix_is_the_same_person_but_two_suffixes_are_two(tmp_path: Path) -> None:
    """"Tomas Arvel Denning Jr." and "Tomas Arvel Denning" are one person, and the suffix is no
    spelling of his surname; "Tomas Arvel Denning III" is another."""
    from checker.pipeline import Options, run_check

    articles = [
        {"id": "a", "source": "A", "text": "Tomas Arvel Denning Jr. escaped from prison on Monday.\nDenning was serving a life sentence.\n"},
        {"id": "b", "source": "B", "text": "Police are looking for Tomas Arvel Denning, who escaped from prison.\nDenning is dangerous.\n"},
        {"id": "c", "source": "C", "text": "Tomas Arvel Denning III escaped from a prison van.\n"},
    ]
    lex = load_lexicon(None)
    corpus = load_corpus([write_corpus(tmp_path / "corpus", articles)], lexicon=lex)
    facts = [extract_article(a, lex) for a in corpus.articles]
    linked = link(corpus.articles, facts, lex)
    ent = {(m.article, m.full): e.id for e in linked.entities for m in e.mentions if e.etype == "person"}
    assert ent[("a", "Tomas Arvel Denning Jr")] == ent[("b", "Tomas Arvel Denning")]
    assert ent[("c", "Tomas Arvel Denning III")] != ent[("a", "Tomas Arvel Denning Jr")]
    report = run_check(Options(paths=[tmp_path / "corpus"], use_cache=False))
    assert not [f for f in report.findings if f.kind == "spelling"]


def _heist(ident: str, day: str, lede: str, tail: str) -> dict:
    return {"id": ident, "source": ident.upper(), "published": day, "text": lede + "\n" + tail + "\n"}


def test_reports_of_one_day_sharing_the_street_the_square_and_the_store_are_one_heist(tmp_path: Path) -> None:
    """Two reports of one day, each quoting people of its own, tell of a robbery at the same store on the
    same street near the same square: one heist. A robbery that day in the same city at another street,
    and one at the same place three days later, are others."""
    story = _stories(tmp_path, [
        _heist("a", "2013-09-09", "Thieves stole jewels from the Kessel jewellery store on Rue Lavande near Place Orvane in Lanvik.",
               "Forensic teams examined the Kessel store on Rue Lavande, said Odile Marchetti, the store's insurer."),
        _heist("b", "2013-09-09", "Four men robbed the Kessel store on Rue Lavande, close to Place Orvane in central Lanvik.",
               "Bruno Terrail of the jewellers' union said the Kessel store in Lanvik had been robbed before."),
        _heist("c", "2013-09-09", "Armed men robbed a bank on Quai Sorbel in Lanvik.",
               "Yannick Dorval, a witness, said the men fled towards Quai Sorbel."),
        _heist("d", "2013-09-12", "Thieves robbed the Kessel store on Rue Lavande near Place Orvane in Lanvik again.",
               "Anouk Belval, a neighbour, said the Kessel store on Rue Lavande had just reopened."),
    ])
    assert story["a"] == story["b"]
    assert story["c"] != story["a"]
    assert story["d"] != story["a"]


def test_reports_of_one_day_sharing_only_the_city_and_one_square_stay_apart(tmp_path: Path) -> None:
    """Two robberies in one city on one day near one square, each with a store and people of its own."""
    story = _stories(tmp_path, [
        _heist("a", "2013-09-09", "Thieves robbed the Kessel jewellery store near Place Orvane in Lanvik.",
               "Odile Marchetti, the store's insurer, said the Kessel store in Lanvik was insured."),
        _heist("b", "2013-09-09", "Armed men robbed the Davrin watch shop near Place Orvane in Lanvik.",
               "Bruno Terrail, the Davrin shop's owner, said the men fled from Lanvik."),
    ])
    assert story["a"] != story["b"]


STEPS = [
    {"id": "a1", "source": "A", "text": "Edo Marchi, a reputed boss of the Sarvesa in Varno, hanged himself in his cell hours after his arrest, "
                                        "police said.\nMarchi, 61, was among 40 suspects held in raids across Varno.\n"
                                        "The Sarvesa controls the port of Varno, police chief Anna Kesler said.\n"},
    {"id": "a2", "source": "B", "text": "Reputed Sarvesa boss Edo Marchi killed himself in prison in Varno a day after he was arrested.\n"
                                        "Edo Marchi was held with 40 others in raids, Anna Kesler said.\n"},
]


def test_a_report_naming_only_a_storys_places_joins_it_when_its_lede_tells_the_same_two_steps(tmp_path: Path) -> None:
    """Two weak names (a city and a lone word) are too few to tie an undated report to a story, unless the
    report names nothing else and its lede tells the two kinds of event the story's ledes tell ("hanged
    himself after his arrest"); one kind of event in common is not enough."""
    story = _stories(tmp_path, [
        *STEPS,
        {"id": "b", "source": "C", "text": "A Sarvesa boss in Varno hanged himself in jail hours before he was arrested in a raid.\n"},
        {"id": "c", "source": "D", "text": "A Sarvesa boss in Varno was arrested in a raid, police said.\n"},
        {"id": "d", "source": "E", "text": "A Sarvesa boss in Varno hanged himself after his arrest, said Ilse Norrby of Talvik Bank.\n"},
    ])
    assert story["a1"] == story["a2"]
    assert story["b"] == story["a1"]
    assert story["c"] != story["a1"]
    assert story["d"] != story["a1"]
