"""``audit lexicon``: check, show, variants, learn."""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict

import click

from .common import EXIT_USAGE

_lexicon_opts = [
    click.option("--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
                 help="Extra names lexicon file (repeatable); adds to the built-in ones."),
    click.option("--no-builtin", is_flag=True, help="Leave out the built-in lexicons."),
]


def lexicon_options(func):
    for opt in reversed(_lexicon_opts):
        func = opt(func)
    return func


def _load(lexicons, no_builtin):
    from ..lexicon import Lexicon

    lex, issues = Lexicon.check(list(lexicons), builtin=not no_builtin)
    if lex is None:
        for i in issues:
            click.echo(str(i), err=True)
        sys.exit(EXIT_USAGE)
    return lex, issues


@click.group()
def lexicon():
    """Inspect and grow the names lexicon."""


@lexicon.command()
@lexicon_options
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(lexicons, no_builtin, files):
    """Validate lexicon FILES (and the built-in ones): errors as file:line:col, exit 2 on any."""
    from ..lexicon import Lexicon

    lex, issues = Lexicon.check(list(files) + list(lexicons), builtin=not no_builtin)
    for i in issues:
        click.echo(str(i), err=i.level == "error")
    errors = sum(i.level == "error" for i in issues)
    if lex is None:
        click.echo(f"{errors} error(s), {len(issues) - errors} warning(s)", err=True)
        sys.exit(EXIT_USAGE)
    generated = sum(f.generated for f in lex.all_forms)
    click.echo(f"ok: {len(lex.entities)} entities, {len(lex.all_forms) - generated} listed forms, "
               f"{generated} generated, {len(issues)} warning(s) in {len(lex.files)} file(s)")


@lexicon.command()
@lexicon_options
@click.argument("entity_id")
@click.option("--generated/--listed-only", default=True, show_default=True, help="Include generated forms.")
def show(lexicons, no_builtin, entity_id, generated):
    """Show ENTITY_ID: its renderings by language and status, and why each generated one exists."""
    lex, _ = _load(lexicons, no_builtin)
    ent = lex.entity(entity_id)
    if ent is None:
        close = [e for e in lex.entities if entity_id in e][:8]
        raise click.UsageError(f"unknown entity {entity_id!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    click.echo(f"{ent.id}  ({ent.type}; native {ent.native_lang}: {ent.native})")
    for note in ent.notes:
        click.echo(f"  note: {note}")
    for style in ("native", "press"):
        click.echo(f"  suggested in English ({style}): {lex.preferred(ent.id, 'en', style)}")
    for f in lex.forms(ent.id):
        if f.generated and not generated:
            continue
        tag = "generated" if f.generated else "listed"
        line = f"  {f.lang}  {f.status:<9}  {tag:<9}  {f.form}"
        click.echo(line + (f"    <- {f.reason}" if f.generated else f"    ({f.source})"))


@lexicon.command()
@lexicon_options
@click.argument("form")
def variants(lexicons, no_builtin, form):
    """What the lexicon knows about FORM: the entity, status, and the schemes that generate it.

    FORM may also be a Cyrillic name the lexicon does not hold: its romanisations are listed.
    """
    from ..lexicon.romanise import RUSSIAN_SCHEMES, UKRAINIAN_SCHEME, is_cyrillic, romanise, translit_key

    lex, _ = _load(lexicons, no_builtin)
    hits = lex.lookup(form)
    for f in hits:
        how = f"generated: {f.reason}" if f.generated else f"listed at {f.source}"
        click.echo(f"{f.form}: {f.entity} ({f.lang}, {f.status}) — {how}")
        for g in lex.forms(f.entity):
            if g.generated and f.source and g.reason and form.casefold() in g.reason.casefold():
                click.echo(f"  -> {g.form} ({g.status}): {g.reason}")
    if not hits:
        click.echo(f"{form}: not in the lexicon")
        key = translit_key(form)
        near = sorted(lex.key_index().get(key, ()))
        if near:
            click.echo(f"  same transliteration key {key!r} as: {', '.join(near)}")
    if is_cyrillic(form):
        outputs: dict[str, list[str]] = defaultdict(list)
        for scheme in (*RUSSIAN_SCHEMES, UKRAINIAN_SCHEME):
            outputs[romanise(form, scheme)].append(scheme)
        click.echo("romanisations:")
        for text, schemes in outputs.items():
            click.echo(f"  {text}  <- {', '.join(schemes)}")
    if not hits and not is_cyrillic(form):
        sys.exit(1)


@lexicon.command()
@lexicon_options
@click.argument("paths", nargs=-1, required=True)
@click.option("--min-count", type=click.IntRange(1), default=1, show_default=True,
              help="Only renderings seen at least this often.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write the proposals here [stdout].")
def learn(lexicons, no_builtin, paths, min_count, output):
    """Propose lexicon rows from a corpus: renderings that only transliteration separates.

    Output is CSV in the lexicon's own columns plus evidence (count, documents, examples),
    one row per rendering, for a person to review, trim to the lexicon columns and append.
    Renderings of known entities are proposed as variants of that entity.
    """
    from ..config import Config
    from ..detectors import Context
    from ..detectors.names import analyse
    from ..inputs import InputError, InputOptions, iter_inputs
    from ..lexicon import load_lexicon
    from ..lexicon.romanise import has_marks, match_fold

    _load(lexicons, no_builtin)  # report errors first
    config = Config(lexicons=list(lexicons), builtin_lexicons=not no_builtin)
    ctx = Context(config=config)
    lex = load_lexicon(tuple(lexicons), not no_builtin)
    seen: dict[str, Counter] = defaultdict(Counter)  # key -> rendering -> count
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    example: dict[tuple[str, str], str] = {}
    entity_of: dict[str, str] = {}
    for doc in iter_inputs(list(paths), InputOptions()):
        if isinstance(doc, InputError):
            click.echo(f"{doc}", err=True)
            continue
        a = analyse(doc, ctx)
        for w in a.words:
            key = w.entity or ""
            group = f"{key}\x1f{w.key}"
            seen[group][w.text] += 1
            docs[(group, w.text)].add(doc.id)
            example.setdefault((group, w.text), " ".join(doc.text[max(0, w.start - 40):w.end + 40].split()))
            if w.entity:
                entity_of[group] = w.entity
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["id", "type", "lang", "form", "status", "note", "count", "documents", "example"])
    rows = 0
    for group in sorted(seen):
        counts = seen[group]
        spellings = {match_fold(s) for s in counts}
        if len(spellings) < 2:
            continue
        eid = entity_of.get(group)
        top = counts.most_common(1)[0][0]
        for text, n in counts.most_common():
            if n < min_count or (eid and lex.is_attested(text)):
                continue
            if eid:
                ent = lex.entity(eid)
                row_id, typ, status = eid, ent.type, "variant"
            else:
                row_id = _slug(top)
                typ, status = "person", "canonical" if text == top else "accepted"
            note = f"also written {', '.join(s for s in counts if s != text)}"
            lang = "tr" if has_marks(text) and any(c in text for c in "ğışİçöüĞŞÇÖÜ") else "en"
            writer.writerow([row_id, typ, lang, text, status, note, n, " ".join(sorted(docs[(group, text)])),
                             example[(group, text)]])
            rows += 1
    click.echo(f"{rows} proposal(s)", err=True)


def _slug(text: str) -> str:
    from anyascii import anyascii

    import regex

    slug = regex.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    return slug if slug and slug[0].isalpha() else "x-" + slug
