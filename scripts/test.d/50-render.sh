#!/usr/bin/env bash
# scripts/test.d/50-render.sh - render tests that need external programs:
#   - PDF: text extracted with pdftotext (compared with tests/render/*.pdf.txt), fonts
#     listed with pdffonts, a page rasterised with pdftoppm and checked not to be blank;
#   - LaTeX: every rendered .tex (injection payloads included) compiled with pdflatex
#     -no-shell-escape; \write18 must not run, \input must not read.
# The Rust tests skip these checks when the tools are absent; here UMR_REQUIRE_TOOLS=1
# makes a missing tool a failure. The tools are Debian's poppler-utils and a minimal TeX
# set (texlive-latex-base, texlive-latex-recommended, texlive-fonts-recommended, lmodern;
# about a minute to install); they are installed here when missing (idempotent).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

need=()
for t in pdftotext pdftoppm pdffonts; do
  command -v "$t" >/dev/null 2>&1 || { need+=(poppler-utils); break; }
done
if ! command -v pdflatex >/dev/null 2>&1 \
  || ! kpsewhich longtable.sty booktabs.sty hyperref.sty xcolor.sty geometry.sty lmodern.sty amssymb.sty >/dev/null 2>&1; then
  need+=(texlive-latex-base texlive-latex-recommended texlive-fonts-recommended lmodern)
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "50-render: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
  echo "50-render: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${UMR_APT_MARK:-}" ] || [ ! -e "${UMR_APT_MARK}" ]; then apt-get update -qq; fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

UMR_REQUIRE_TOOLS=1 cargo test -p umr-core --test render_tools
