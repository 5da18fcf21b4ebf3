"""The wheel installs anywhere: built from the checkout, installed into a fresh venv
outside it, and run from another folder against a throwaway embedded server.

The venv borrows the dependencies already installed in the project's own (a .pth
file naming that site-packages; its editable finder stays off, as only the site
folder's own .pth files run), so the test needs no network; `pip check` then proves
the wheel's declared requirements are all met by them."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

CSV = ("PROP_ID,TOWN_ID,USE_CODE,YEAR_BUILT,BLD_AREA,STORIES,TOTAL_VAL,SITE_ADDR\n"
       "W-1,35,101,1890,1200,2,450000,1 MAIN ST\n"
       "W-2,35,903,1950,60000,3,2500000,2 MAIN ST\n"
       "W-3,49,101,0,900,1.5,300000,3 MAIN ST\n")


def run(*command, cwd, env=None) -> str:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"{command}: {result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
        "--quiet", "-w", out, cwd=ROOT)
    (path,) = out.glob("ma_buildings-*.whl")
    return path


def test_the_wheel_holds_every_sql_file_and_one_top_level_package(wheel):
    """Every SQL file and migration patch, the data and the pages; one package."""
    names = zipfile.ZipFile(wheel).namelist()
    in_checkout = {str(p.relative_to(ROOT)) for pattern in ("*.sql", "*.patch")
                   for p in (ROOT / "buildings").rglob(pattern)}
    assert in_checkout and in_checkout <= set(names)
    assert {n.split("/")[0] for n in names if not n.startswith("ma_buildings-")} == {"buildings"}
    for data in ("buildings/migrations/data/0002_towns.csv",
                 "buildings/dashboard/data/ma_towns_simplified.geojson",
                 "buildings/dashboard/templates/dashboard/index.html",
                 "buildings/dashboard/static/dashboard/site.css"):
        assert data in names


def test_the_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet",
        wheel, cwd=tmp_path)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
               cwd=tmp_path).strip()
    with open(os.path.join(site, "borrowed-dependencies.pth"), "w") as f:
        f.write(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "check", cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["BUILDINGS_PGDATA"] = str(tmp_path / "pgdata")
    command = env_dir / "bin" / "ma-buildings"
    where = run(python, "-c", "import buildings; print(buildings.__file__)", cwd=elsewhere,
                env=env)
    assert where.startswith(str(env_dir)), where
    try:
        run(command, "migrate", "-v", "0", cwd=elsewhere, env=env)
        assert "generated 10,000 buildings" in run(command, "generate_buildings",
                                                   "--buildings", "10000", "--seed", "2",
                                                   cwd=elsewhere, env=env)
        reports = {}
        for mode in ("sql", "live"):
            report = json.loads(run(command, "analyze", "--mode", mode, "--format", "json",
                                    cwd=elsewhere, env=env))
            report.pop("meta")
            reports[mode] = report
        assert reports["sql"] == reports["live"]
        assert reports["sql"]["state"]["buildings"] == 10_000
        (elsewhere / "assess.csv").write_text(CSV)
        imported = run(command, "import_assessor", "assess.csv", "--replace", cwd=elsewhere,
                       env=env)
        assert "3 rows" in imported
        report = json.loads(run(command, "analyze", "--mode", "live", "--format", "json",
                                "--town", "Boston", cwd=elsewhere, env=env))
        # Boston's 10,000-building share was replaced by the two rows of the file:
        # both important (historic; large and civic), 61,200 sq ft between them
        (boston,) = report["towns"]
        assert (boston["buildings"], boston["important"], boston["important_floor_area"]) == (
            2, 2, 61_200)
    finally:
        subprocess.run([python, "-m", "buildings.postgres.embedded", "stop"], cwd=elsewhere,
                       env=env, capture_output=True, timeout=120)
