import pytest

from inquiries.names import faction_key, fold, ministry_key, slug_base, split_person_name


@pytest.mark.parametrize(
    "printed,title,first,last",
    [
        ("Nico Weinmann", "", "Nico", "Weinmann"),
        ("Abg. Dr. Hans-Ulrich Rülke", "Dr.", "Hans-Ulrich", "Rülke"),
        ("des Abgeordneten Nico Weinmann", "", "Nico", "Weinmann"),
        ("der Abgeordneten Jutta Niemann MdL", "", "Jutta", "Niemann"),
        ("Prof. Dr. Erik Schweickert", "Prof. Dr.", "Erik", "Schweickert"),
        ("Gabriele von Massow", "", "Gabriele", "von Massow"),
        ("Frau Muhterem Aras", "", "Muhterem", "Aras"),
        ("Strobl", "", "", "Strobl"),
    ],
)
def test_split_person_name(printed, title, first, last):
    name = split_person_name(printed)
    assert (name.title, name.first_name, name.last_name) == (title, first, last)


def test_person_key_ignores_title_and_umlaut_spelling():
    assert split_person_name("Dr. Hans-Ulrich Rülke").key == split_person_name("Hans-Ulrich Ruelke").key


@pytest.mark.parametrize(
    "printed",
    ["Ministerium für Finanzen", "des Ministeriums für Finanzen", "dem Ministerium für Finanzen", "Ministerium fuer Finanzen"],
)
def test_ministry_key_forms(printed):
    assert ministry_key(printed) == "ministerium fuer finanzen"


def test_ministry_key_state_adjective_and_state_name():
    assert ministry_key("Niedersächsisches Ministerium für Inneres und Sport") == ministry_key("Ministerium für Inneres und Sport")
    assert ministry_key("dem Niedersächsischen Ministerium für Inneres und Sport") == ministry_key("Ministerium für Inneres und Sport")
    assert ministry_key("Staatsministerium Baden-Württemberg") == ministry_key("Staatsministerium")


@pytest.mark.parametrize("printed", ["FDP/DVP", "Fraktion der FDP/DVP", "FDP/DVP-Fraktion", "fdp/dvp"])
def test_faction_key_forms(printed):
    assert faction_key(printed) == "fdp/dvp"


def test_faction_aliases():
    assert faction_key("Die Grünen") == faction_key("GRÜNE") == faction_key("BÜNDNIS 90/DIE GRÜNEN")
    assert faction_key("Die Linke") == faction_key("DIE LINKE")


def test_fold():
    assert fold("Baden-Württemberg  Straße") == "baden-wuerttemberg strasse"


def test_slug_base_spells_out_umlauts():
    assert slug_base("Müller Straße Öz") == "Mueller Strasse Oez"
