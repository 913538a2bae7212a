"""axe-core on every page of the site: no serious or critical violation, on a laptop and on a phone."""

import pytest
from book_pages import offline_context, open_page, site_pages

SETTINGS = {
    "laptop, light, 한국어": {"viewport": {"width": 1280, "height": 900}, "theme": "light", "language": "ko"},
    "phone, dark, English": {"viewport": {"width": 375, "height": 740}, "theme": "dark", "language": "en"},
}


@pytest.mark.parametrize("setting", SETTINGS)
def test_axe_finds_no_serious_or_critical_violation(browser, site_url, built_site, setting):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = SETTINGS[setting]
    failures, summary = [], []
    with offline_context(browser, viewport=options["viewport"]) as context:
        context.add_init_script(
            f"localStorage.setItem('theme', '{options['theme']}'); localStorage.setItem('mode', '{options['theme']}');"
            f"localStorage.setItem('coursebook-lang', '{options['language']}');"
        )
        for name in site_pages(built_site):
            page = open_page(context, f"{site_url}/{name}")
            violations = axe.run(page).response["violations"]
            page.close()
            summary.append(f"{name}: " + (", ".join(f"{v['id']} ({v['impact']})" for v in violations) or "none"))
            for violation in violations:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    failures.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    print(f"\naxe, {setting}:\n  " + "\n  ".join(summary))
    assert not failures, "\n".join(failures)
