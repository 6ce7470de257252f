"""A real-browser competition journey against ``tinyml platform serve`` (uvicorn + Huey worker) in headless
Chromium: upload a model, watch it scored by the worker, find it on the public leaderboard; a broken model shows
its one-line reason. Screenshots (desktop and phone width) go to ``$TINYML_SCREENSHOTS`` when set."""

import os

import pytest
from test_platform_browser import CHROMIUM, browser, shoot, signed_up, site  # noqa: F401 - fixtures

from clirun import tinyml
from competegen import float_model, trained_int8, training_images, write_challenge

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")]


@pytest.fixture(scope="module", autouse=True)
def challenges(tmp_path_factory):
    """The small challenge, in the environment before the site starts (the server reads it)."""
    folder = tmp_path_factory.mktemp("challenges")
    write_challenge(folder, "small-person")
    old = os.environ.get("TINYML_CHALLENGES")
    os.environ["TINYML_CHALLENGES"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("TINYML_CHALLENGES", None)
    else:
        os.environ["TINYML_CHALLENGES"] = old


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    x, y = training_images()
    good, bad = folder / "my_person.tflite", folder / "float_person.tflite"
    good.write_bytes(trained_int8(x, y, epochs=2))
    bad.write_bytes(float_model())
    return good, bad


def test_upload_a_model_and_find_it_on_the_public_leaderboard(challenges, site, browser, models):  # noqa: F811
    good, bad = models

    context, page = signed_up(browser, site, site["learner"])

    page.click("text=Competitions")
    assert page.locator("h1").inner_text() == "Competitions"
    page.click("text=Small person detection")
    assert site["learner"] not in page.locator("#public-board").inner_text()  # earlier runs' entries may stay

    # A float model: the worker rejects it and the page says why, in one line.
    page.set_input_files("#id_model", str(bad))
    page.click("text=Submit for scoring")
    page.wait_for_selector("#reason", timeout=120_000)
    reason = page.locator("#reason p").inner_text()
    assert "input is float32" in reason and "\n" not in reason
    shoot(page, "compete-rejected-desktop")

    # A real int8 model: scored in TFLM by the worker; the page updates by itself.
    page.click("text=Back to the challenge")
    page.set_input_files("#id_model", str(good))
    page.click("text=Submit for scoring")
    page.wait_for_selector("text=updates by itself")
    page.wait_for_selector("#score", timeout=180_000)
    score = page.locator("#score").inner_text()
    assert "Public accuracy" in score and "fits the Arduino Nano 33 BLE Sense" in score
    shoot(page, "compete-entry-desktop")

    page.click("text=Back to the challenge")
    board = page.locator("#public-board").inner_text()
    assert site["learner"] in board and "%" in board and "ms" in board
    history = page.locator("main").inner_text()
    assert "Rejected" in history and "Scored" in history
    shoot(page, "compete-leaderboard-desktop")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        storage_state=context.storage_state(),
    )
    mobile = phone.new_page()
    for path, name in (("/compete/small-person/", "compete-leaderboard-phone"), ("/compete/", "compete-list-phone")):
        mobile.goto(site["url"] + path)
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
        shoot(mobile, name)
    phone.close()
    context.close()


def test_cli_sends_a_model_to_the_platform_with_a_token(challenges, site, browser, models):  # noqa: F811
    good, bad = models
    context, page = signed_up(browser, site, site["offline"])
    page.goto(site["url"] + "/accounts/token/")
    page.click("text=Make a token")
    token = page.locator("#new-token").inner_text().strip()
    env = {"TINYML_PLATFORM_URL": site["url"], "TINYML_TOKEN": token}
    done = tinyml("compete", "submit", "small-person", str(good), "--server", site["url"], env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Sent as entry" in done.stdout and "fits (nano33ble)" in done.stdout
    assert "accuracy (public set)" in done.stdout
    refused = tinyml("compete", "submit", "small-person", str(good), "--token", "tml_wrong", env=env)
    assert refused.returncode == 1 and "unknown token" in refused.stderr and "Traceback" not in refused.stderr
    page.goto(site["url"] + "/compete/small-person/")
    assert site["offline"] in page.locator("#public-board").inner_text()
    context.close()
