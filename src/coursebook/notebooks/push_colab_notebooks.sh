#!/usr/bin/env bash
# Publish the chapters' notebooks from the built site to the branch that the "Open in Colab"
# links read (`coursebook: colab_branch:` in _config.yml, "colab" unless set). CI runs it in the
# course's folder after `make book` on main, with permission to push:
#
#   python -m coursebook push-colab [remote]     # or this file's path; remote: origin unless given
#
# The branch gets one commit holding only the chapters' .ipynb files (as in _build/html/_sources/),
# replaced on every run: Colab always opens the notebooks of the site that is online, and
# each notebook's first cell pins the shared package to the commit that site was built from.
set -euo pipefail
remote=${1:-origin}
branch=$(sed -n 's/^ *colab_branch: *\([^ #]*\).*/\1/p' _config.yml)
branch=${branch:-colab}
sources=_build/html/_sources
if ! find "$sources" -name '*.ipynb' 2>/dev/null | grep -q .; then
  echo "No notebooks in $sources: run make book first." >&2
  exit 1
fi
index=$(mktemp -u)
trap 'rm -f "$index"' EXIT
export GIT_INDEX_FILE=$index
git --work-tree="$sources" add --force -- ':(glob)**/*.ipynb'
tree=$(git write-tree)
built_from=$(git rev-parse HEAD)
commit=$(git -c user.name="${GIT_AUTHOR_NAME:-coursebook}" -c user.email="${GIT_AUTHOR_EMAIL:-book@invalid}" \
  commit-tree "$tree" -m "Notebooks for Colab, built from $built_from")
git push --force --quiet "$remote" "$commit:refs/heads/$branch"
echo "pushed $(git ls-tree -r --name-only "$commit" | wc -l) notebooks to $remote $branch ($commit)"
