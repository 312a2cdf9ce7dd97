from conftest import *  # noqa
def test_smoke(editor):
    for path in ["/candidates?start=2026-11-01&end=2026-11-22", "/issues", "/sources", "/archive?q=医保", "/dashboard?end=2026-11-20", "/articles/1"]:
        r = editor.get(path)
        print(path, r.status_code, len(r.text))
        assert r.status_code == 200, r.text[:2000]
