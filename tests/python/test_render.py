"""Rendering (umr_core::render): a record alone, or a registry record with its provenance,
lineage and risks, to HTML, Markdown, LaTeX, SVG (str) and PDF (bytes); the Jupyter
display. The documents equal `umr render`'s."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

import umr

from conftest import rec

TEXT_FORMATS = ["html", "md", "tex", "svg"]


def cli_render(cli: Path, registry: Path, spec: str, to: str) -> bytes:
    proc = subprocess.run(
        [str(cli), "render", spec, "--registry", str(registry), "--to", to],
        capture_output=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_record_render_alone() -> None:
    r = rec("model", "demo", "1.0.0", title="<b>Demo</b>", upstream=["base"],
            card={"limitations": "English only."})
    page = r.render("html")
    assert isinstance(page, str) and page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;Demo&lt;/b&gt;" in page and "<b>Demo</b>" not in page  # escaped
    assert "English only." in page
    md = r.render("md")
    assert isinstance(md, str) and "English only." in md
    assert r.render("markdown") == md and r.render("MD") == md  # the core's names, any case
    tex = r.render("tex")
    assert isinstance(tex, str) and "\\documentclass" in tex
    assert r.render("latex") == tex
    svg = r.render("svg")
    assert isinstance(svg, str) and svg.lstrip().startswith(("<svg", "<?xml"))
    pdf = r.render("pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")


def test_registry_render_equals_the_command_line(examples: Path, umr_cli: Path) -> None:
    reg = umr.Registry(examples)
    for to in TEXT_FORMATS:
        out = reg.render("acme/llama2-7b-med", to)
        assert isinstance(out, str)
        assert out.encode() == cli_render(umr_cli, examples, "acme/llama2-7b-med", to), to
    pdf = reg.render("acme/llama2-7b-med", "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    assert pdf == cli_render(umr_cli, examples, "acme/llama2-7b-med", "pdf")
    page = reg.render("acme/llama2-7b-med", "html")
    assert "inherited from" in page  # a registry view has provenance
    assert page != reg.find("acme/llama2-7b-med").render("html")


def test_render_errors(examples: Path) -> None:
    reg = umr.Registry(examples)
    r = reg.find("llama2")
    for call in (lambda: r.render("docx"), lambda: reg.render("llama2", "rtf")):
        with pytest.raises(umr.ArgumentError) as e:
            call()
        assert e.value.code == "E_FORMAT"
        assert "pdf" in str(e.value)
    with pytest.raises(umr.ResolveError):
        reg.render("nothing", "html")
    with pytest.raises(TypeError):
        r.render()  # type: ignore[call-overload]


def test_jupyter_display(examples: Path) -> None:
    reg = umr.Registry(examples)
    r = rec("model", "demo", "1.0.0", title="<script>alert('x')</script> & co")
    shown = r._repr_html_()
    assert shown.startswith('<iframe class="umr-card"') and shown.endswith("</iframe>")
    assert " sandbox " in shown  # no scripts, no same-origin access
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown)
    assert srcdoc
    assert html.unescape(srcdoc.group(1)) == r.render("html")  # the core's page, as is
    assert "<script>" not in shown
    eff = reg.resolve("acme/llama2-7b-med")
    card = eff._repr_html_()
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', card).group(1))  # type: ignore[union-attr]
    assert page == reg.render(eff.record.id, "html")
    assert "inherited from" in page
    # Effective objects from resolve_all display the same way
    from_all = reg.resolve_all()[eff.record.id]
    assert isinstance(from_all, umr.Effective) and from_all._repr_html_() == card
