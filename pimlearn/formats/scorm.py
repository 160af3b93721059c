"""SCORM packages (``-f scorm12``, ``-f scorm2004``): one zip per course and locale, for any LMS.

Layout of a package (``multi-sco``, the default: one SCO per module)::

    imsmanifest.xml                the manifest (pimlearn.package.manifest), at the zip root
    <module-id>/index.html         a SCO: every page of the module in one document, then its result page
    <module-id>/images/...         the module's images
    _shared/player.js, *.css       the player and the learner stylesheet, shared by every SCO
    *.xsd, common/, vocab/ ...     the SCORM schemas the manifest names (its control documents)

``single-sco`` packaging puts the whole course in one SCO (``index.html`` at the root).
``--per-module`` also writes one package per module under ``modules/``. A SCO must be one
HTML document: navigating its frame to another file would end the LMS session, so the
player shows one page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..i18n.locales import direction, html_lang
from ..model import Course, Module, plain_text
from ..package.artifact import Artifact
from ..package.manifest import Item, Manifest, Metadata, Organization, Resource, ScormVersion, manifest_xml
from ..package.zips import deterministic_zip
from ..render.assets import STATIC, image_path, module_images, read_image, static_file, url_path
from ..render.html import HtmlOptions, blocks_html, text_html
from ..render.jinja import Templates, templates
from ..render.player import Unit, is_scored, player_context, sco_unit
from ..render.questions import learner_options
from ..render.suspend import LIMITS, max_answer_length
from . import RenderContext, Rendered

SUFFIX: dict[ScormVersion, str] = {"1.2": "scorm12", "2004": "scorm2004"}
SHARED = "_shared"
"""Folder of the files every SCO uses; the underscore keeps it apart from module ids (slugs)."""
SCHEMA_FOLDER: dict[ScormVersion, str] = {"1.2": "scorm12", "2004": "scorm2004"}
RESPONSE_LIMIT = 26
"""Matching pairs and ordering items SCORM interactions can spell (one letter each in SCORM 1.2)."""


def render_scorm(ctx: RenderContext, version: ScormVersion) -> Rendered:
    """The course's package for SCORM ``version`` (and one per module with ``--per-module``).

    Nothing is produced for a version the course's ``scorm.versions`` leaves out.
    """
    course = ctx.course
    if version not in course.scorm.versions:
        return Rendered(())
    tpl = templates(ctx.project_root, course)
    suffix = SUFFIX[version]
    stem = f"{course.id}-{course.version}-{ctx.locale}"
    diagnostics: list[Diagnostic] = []
    artifacts = [
        Artifact(
            f"{ctx.base}/{stem}-{suffix}.zip",
            build_package(ctx, tpl, version, course.modules, course.scorm.packaging, diagnostics),
        )
    ]
    if ctx.per_module:
        for module in course.modules:
            data = build_package(ctx, tpl, version, (module,), "multi-sco", diagnostics, standalone=True)
            artifacts.append(Artifact(f"{ctx.base}/modules/{stem}-{module.id}-{suffix}.zip", data))
    return Rendered(tuple(artifacts), tuple(dict.fromkeys(diagnostics)))


@dataclass(frozen=True)
class Sco:
    """One SCO of a package: the unit the player runs, where its files go, its identifiers."""

    name: str
    """Identifier part: the module id (multi-SCO) or the course id (single-SCO)."""
    title: str
    unit: Unit
    folder: str
    """Folder of its ``index.html`` inside the zip ('' for the root)."""

    @property
    def href(self) -> str:
        """The SCO's launch file."""
        return f"{self.folder}/index.html" if self.folder else "index.html"


def plan_scos(course: Course, modules: tuple[Module, ...], packaging: str, key: str) -> list[Sco]:
    """The SCOs of a package: one per module, or one for the whole course (single-SCO packaging)."""
    if packaging == "single-sco":
        return [Sco(f"sco-{course.id}", plain_text(course.title), sco_unit(course, modules, f"{key}/{course.id}"), "")]
    return [Sco(f"m-{m.id}", plain_text(m.title), sco_unit(course, (m,), f"{key}/{m.id}"), m.id) for m in modules]


def check_course(course: Course) -> list[Diagnostic]:
    """What ``pimlearn check`` reports about the course's SCORM packages without building them."""
    found: list[Diagnostic] = []
    for version in course.scorm.versions:
        for sco in plan_scos(course, course.modules, course.scorm.packaging, f"{course.id}/{version}"):
            found += check_sco(course, version, sco)
    return found


def build_package(
    ctx: RenderContext,
    tpl: Templates,
    version: ScormVersion,
    modules: tuple[Module, ...],
    packaging: str,
    diagnostics: list[Diagnostic],
    standalone: bool = False,
) -> bytes:
    """The zip of one package holding ``modules``; problems found go to ``diagnostics``."""
    course = ctx.course
    key = f"{course.id}/{ctx.locale}/{SUFFIX[version]}"
    if packaging == "single-sco":
        scos = plan_scos(course, modules, "single-sco", key)
        for module in modules:
            if module.mastery_score is not None and module.mastery_score != course.mastery_score:
                diagnostics.append(
                    Diagnostic(
                        module.loc,
                        "warning",
                        f"the course is packaged as a single SCO, scored as a whole against the course's pass mark "
                        f"({course.mastery_score} %): this module's mastery_score ({module.mastery_score}) is not used",
                        "single-sco-pass-mark",
                    )
                )
    else:
        scos = plan_scos(course, modules, "multi-sco", key)

    files: dict[str, bytes] = {
        f"{SHARED}/style.css": static_file("learner", "style.css"),
        f"{SHARED}/player.css": static_file("player", "player.css"),
        f"{SHARED}/player.js": static_file("player", "player.js"),
        f"{SHARED}/lms.js": static_file("player", "lms.js"),
    }
    shared = Resource("res-shared", tuple(sorted(files)), scorm_type="asset")
    resources: list[Resource] = []
    for sco in scos:
        sco_files = sco_documents(ctx, tpl, version, sco, standalone)
        files.update(sco_files)
        resources.append(
            Resource(f"res-{sco.name}", tuple(sorted(sco_files)), href=sco.href, dependencies=(shared.identifier,))
        )
        diagnostics.extend(check_sco(course, version, sco))
    resources.append(shared)
    # The schemas the manifest names in xsi:schemaLocation ship at the root (the ADL conformance suite asks
    # for them) and are listed like every other file, so no file of the zip is "excess baggage".
    schemas = schema_files(version)
    resources.append(Resource("res-schemas", tuple(sorted(schemas)), scorm_type="asset"))

    # A module packaged alone is described as that module, not as the whole course.
    about = modules[0] if standalone else None
    title = plain_text(about.title) if about else plain_text(course.title)
    summary = (about.summary if about else course.description) or None
    manifest = Manifest(
        identifier=f"pimlearn-{course.id}-{ctx.locale}" + (f"-{modules[0].id}" if standalone else ""),
        version=course.version,
        metadata=Metadata(
            title=title,
            language=html_lang(ctx.locale),
            description=plain_text(summary) if summary else "",
            version=course.version,
        ),
        organization=Organization(f"org-{course.id}", title, organization_items(course, scos)),
        resources=tuple(resources),
    )
    files["imsmanifest.xml"] = manifest_xml(manifest, version)
    files.update(schemas)
    return deterministic_zip(files, ctx.source_date_epoch)


def organization_items(course: Course, scos: list[Sco]) -> tuple[Item, ...]:
    """One item per SCO; several SCOs are wrapped in one item for the course.

    Moodle's player only offers its previous/next buttons between siblings under a
    non-launchable parent item, and SCORM 2004 rolls the modules' results up into it.
    """
    points = {sco.name: _points(sco.unit) for sco in scos}
    total = sum(points.values())
    items = tuple(
        Item(
            identifier=f"item-{sco.name}",
            title=sco.title,
            resource=f"res-{sco.name}",
            pass_mark=sco.unit.pass_mark,
            weight=points[sco.name] / total if total else 0.0,
            objective_id=f"obj-{sco.name}" if sco.unit.pass_mark is not None else None,
            masteryscore=course.scorm.mastery_in_manifest,
        )
        for sco in scos
    )
    if len(items) == 1:
        return items
    return (Item(f"item-course-{course.id}", plain_text(course.title), children=items),)


def _points(unit: Unit) -> float:
    questions = tuple(q.question for q in unit.questions)
    return sum(q.points for q in questions if q.graded) if is_scored(questions) else 0.0


def schema_files(version: ScormVersion) -> dict[str, bytes]:
    """The version's XML Schemas, at the package root where the manifest's ``xsi:schemaLocation`` points."""
    base = STATIC / "scorm-schemas" / SCHEMA_FOLDER[version]
    return {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and p.suffix in (".xsd", ".dtd")
    }


def check_sco(course: Course, version: ScormVersion, sco: Sco) -> list[Diagnostic]:
    """Problems an LMS would meet: a saved state that may not fit, answers SCORM cannot spell."""
    found = []
    loc = sco.unit.modules[0].loc if len(sco.unit.modules) == 1 else course.loc
    size = sco.unit.worst_case_state()
    limit = LIMITS[version]
    if size > limit:
        questions = [q.question for q in sco.unit.questions]
        fill_ins = [q for q in questions if q.type == "fill-in"]
        detail = ""
        if fill_ins:
            biggest = max(max_answer_length(q) for q in fill_ins)
            detail = (
                f"; its {len(fill_ins)} fill-in question{'s' if len(fill_ins) != 1 else ''} take up to "
                f"{biggest} characters each (typed text is encoded to stay safe in every LMS)"
            )
        found.append(
            Diagnostic(
                loc,
                "error",
                f"the SCORM {version} package could need {size} characters of suspend_data to save a learner's "
                f"answers in '{sco.title}', more than the {limit} an LMS must keep{detail}: split the module, "
                f'use fewer fill-in questions, or build only SCORM 2004 (scorm: versions: ["2004"])'
                if version == "1.2"
                else f"the SCORM 2004 package could need {size} characters of suspend_data for '{sco.title}', more "
                f"than the {limit} an LMS must keep{detail}: split the module",
                "suspend-data-size",
            )
        )
    for uq in sco.unit.questions:
        q = uq.question
        if q.type in ("matching", "ordering") and max(len(q.pairs), len(q.items)) > RESPONSE_LIMIT:
            found.append(
                Diagnostic(
                    q.loc,
                    "warning",
                    f"question '{q.id}' has more than {RESPONSE_LIMIT} {'pairs' if q.type == 'matching' else 'items'}: "
                    "SCORM cannot spell the answers, so the LMS will only see whether it was right",
                    "scorm-response-format",
                )
            )
    return found


def sco_documents(
    ctx: RenderContext, tpl: Templates, version: ScormVersion, sco: Sco, standalone: bool
) -> dict[str, bytes]:
    """The SCO's HTML document and its images, by path in the zip."""
    course = ctx.course
    unit = sco.unit
    root = "../" if sco.folder else ""
    several = len(unit.modules) > 1
    files: dict[str, bytes] = {}

    def options_for(module: Module) -> HtmlOptions:
        def image_url(src: str) -> str:
            return url_path(f"{module.id}/{image_path(src)}" if not sco.folder else image_path(src))

        prefix = f"{module.id}-" if several else ""
        return learner_options(
            ctx.locale, tpl, image_url, id_prefix=prefix, attempts=course.attempts_for, questions=module.questions
        )

    options = {m.id: options_for(m) for m in unit.modules}
    pages: list[dict[str, Any]] = []
    nav: list[dict[str, Any]] = []
    for up in unit.pages:
        opts = options[up.module.id]
        module_title = text_html(up.module.title, opts)
        if not nav or nav[-1]["id"] != up.module.id:
            nav.append({"id": up.module.id, "title": module_title, "pages": []})
            for src in module_images(up.module):
                files[f"{sco.folder or up.module.id}/{image_path(src)}"] = read_image(ctx.project_root, up.module, src)
        title = Markup.escape(tpl.gettext("Introduction")) if up.page.is_intro else text_html(up.page.title, opts)
        nav[-1]["pages"].append({"number": up.number, "title": title})
        pages.append(
            {
                "number": up.number,
                "is_intro": up.page.is_intro,
                "module_number": None if standalone else course.modules.index(up.module) + 1,
                "module_title": module_title,
                "summary": text_html(up.module.summary, opts) if up.page.is_intro else "",
                "objectives": [text_html(o, opts) for o in up.module.objectives] if up.page.is_intro else [],
                "title": text_html(up.page.title, opts),
                "content": blocks_html(up.page.blocks, opts),
            }
        )

    scored = unit.pass_mark is not None
    result_title = Markup.escape(tpl.gettext("Your result") if scored else tpl.pgettext("result page", "Summary"))
    nav[-1]["pages"].append({"number": unit.result_page, "title": result_title})
    items = []
    for index, uq in enumerate(unit.questions):
        if not uq.question.graded:
            continue
        prefix = f"{uq.module.id}-" if several else ""
        items.append(
            {
                "index": index,
                "prompt": text_html(uq.question.prompt, options[uq.module.id]),
                "href": f"#{prefix}q-{uq.question.id}",
                "page": uq.page,
                "goto": True,
            }
        )
    html = tpl.render(
        "scorm/sco.html.j2",
        course=course,
        lang=html_lang(ctx.locale),
        dir=direction(ctx.locale),
        root=root,
        title=text_html(course.title, options[unit.modules[0].id]),
        unit_title=sco.title,
        nav=nav,
        pages=pages,
        result_page=unit.result_page,
        result_title=result_title,
        result={"questions": items if scored else [], "scored": scored, "finish": True, "heading": False},
        player=player_context(course, unit, version, f"{root}{SHARED}/player.js"),
    )
    files[sco.href] = html.encode("utf-8")
    return files
