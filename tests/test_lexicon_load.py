"""The names lexicon's load: collisions resolved and indexes built in bulk equal the plain definitions."""

from __future__ import annotations

from collections import defaultdict

import pytest

from audit.lexicon import Lexicon, variants
from audit.lexicon.romanise import match_fold


def _lexicon_with_collisions(tmp_path, pairs: int):
    """``pairs`` pairs of people listing the same Russian name (ambiguous; their romanisations
    collide), two people listing the same English form, and people of their own."""
    rows = ["id,type,lang,form,status"]
    surnames = ["Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков"]
    firsts = ["Иван", "Олег", "Пётр", "Юрий", "Фёдор", "Илья", "Денис", "Антон", "Борис", "Глеб"]
    for i in range(pairs):
        name = f"{firsts[i % len(firsts)]} {surnames[(i // len(firsts)) % len(surnames)]}{'а' * (i // 80)}"
        rows.append(f"a{i},person,ru,{name},canonical")
        rows.append(f"b{i},person,ru,{name},canonical")
        rows.append(f"b{i},person,en,Someone Else{i},canonical")
    rows += ["c1,person,en,Shared Name,canonical", "c2,person,en,Shared Name,canonical",
             "d1,person,tr,Mevlüt Çavuşoğlu,canonical", "d1,person,ru,Мевлют Чавушоглу,canonical",
             "e1,person,en,Alone Here,canonical"]
    path = tmp_path / "names-collide.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("pairs", [2, 40])  # a few colliding forms (deleted in place) and many
def test_collisions_and_indexes_equal_their_definitions(tmp_path, monkeypatch, pairs):
    captured = {}
    resolve = variants._resolve

    def spy(forms, keys, shared):
        captured["forms"], captured["keys"] = list(forms), list(keys)
        return resolve(forms, keys, shared)

    monkeypatch.setattr(variants, "_resolve", spy)
    lex, issues = Lexicon.check([_lexicon_with_collisions(tmp_path, pairs)], builtin=False)
    assert lex is not None
    before, keys = captured["forms"], captured["keys"]
    assert keys == [match_fold(f.form) for f in before]
    # the definition: a generated form whose key another entity's form shares is dropped; a
    # form listed for several entities is dropped; everything else is kept, in order
    owners, listed_owners = defaultdict(set), defaultdict(set)
    for k, f in zip(keys, before):
        owners[k].add(f.entity)
        if not f.generated:
            listed_owners[k].add(f.entity)
    kept = [f for k, f in zip(keys, before)
            if len(owners[k]) == 1 or (not f.generated and len(listed_owners[k]) == 1)]
    assert lex.all_forms == kept
    dropped = len(before) - len(kept)
    assert dropped > (64 if pairs == 40 else 0)
    collides = [i for i in issues if "collides" in i.message]
    assert len(collides) == sum(f.generated for f in before) - sum(f.generated for f in kept)
    # each pair lists its Russian name twice, and c1 and c2 their English one
    assert len([i for i in issues if "ambiguous" in i.message]) == pairs + 1
    # the indexes
    expect_fold, expect_entity = defaultdict(list), defaultdict(list)
    for i, f in enumerate(lex.all_forms):
        expect_fold[match_fold(f.form)].append(i)
        expect_entity[f.entity].append(i)
    assert lex.by_fold == expect_fold and all(len(v) == 1 for v in lex.by_fold.values())
    assert list(lex.by_fold) == list(expect_fold)
    assert lex.by_entity == expect_entity and list(lex.by_entity) == list(expect_entity)
    attested = {match_fold(f.form) for f in lex.all_forms if f.status != "variant"}
    attested |= {match_fold(f.form) for e in lex.entities.values() for f in e.listed if f.status != "variant"}
    assert lex._attested == attested
    assert lex.is_attested("Shared Name") and lex.entity_of("Shared Name") is None


def test_lexicon_built_from_forms_alone_has_the_same_indexes():
    """Lexicon(entities, forms, ...) without the keys the load passes computes the same."""
    lex = Lexicon.load([])
    again = Lexicon(lex.entities, lex.all_forms, lex.issues, lex.files)
    assert again.by_fold == lex.by_fold and again.by_entity == lex.by_entity
    assert again._attested == lex._attested
