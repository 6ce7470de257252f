"""Community journeys in headless Chromium against ``tinyml platform serve``: a question asked on a unit's board,
answered by another learner and accepted by the asker; two people chatting live in two browsers.

Screenshots (desktop and phone width) go to ``$TINYML_SCREENSHOTS`` when set.
"""

from pathlib import Path

import pytest
from test_platform_browser import CHROMIUM, browser, shoot, signed_up, site  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]


def on_phone(browser, context, url: str):  # noqa: F811
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        storage_state=context.storage_state(),
    )
    page = phone.new_page()
    page.goto(url)
    return phone, page


def test_ask_answer_accept(site, browser):  # noqa: F811
    from tinymlkit.platform.courses import content

    c = content.catalog().courses[0]
    u = c.units[0]
    asker_name, helper_name = f"asker{site['url'][-5:]}", f"helper{site['url'][-5:]}"
    asker, page = signed_up(browser, site, asker_name)
    page.goto(f"{site['url']}/courses/{c.slug}/{u.slug}/{u.lessons[0].slug}/")
    page.click("text=Ask one")
    page.fill("#id_title", "Why is my arena bigger on the host?")
    page.fill(
        "#id_body",
        "The profile says **two** figures:\n\n```python\nprint(p.arena_bytes)\n```\n<script>alert('x')</script>",
    )
    page.click("text=Post the question")
    assert page.locator("#thread-title").inner_text() == "Why is my arena bigger on the host?"
    assert page.locator(".post-body script").count() == 0 and "<script>" in page.locator(".post-body").inner_text()
    thread_url = page.url

    helper, other = signed_up(browser, site, helper_name)
    other.goto(site["url"] + "/forum/unanswered/")
    other.click("text=Why is my arena bigger on the host?")
    other.fill(
        "#id_body",
        "The host build has **64-bit pointers**. Use the 32-bit estimate:\n\n"
        "```python\nprint(p.arena_bytes_32bit)\n```",
    )
    other.click("text=Post the answer")
    assert other.locator(".post:not(.question) .post-body strong").inner_text() == "64-bit pointers"
    assert other.locator("text=Accept this answer").count() == 0  # only the asker (or staff) accepts
    assert other.locator(".post:not(.question) .flag-form").count() == 0  # no flag on one's own post
    other.click(".question summary:has-text('Flag')")  # the flag form opens in place
    assert other.locator(".question .flag-form input[name=reason]").is_visible()
    other.locator(".question button.vote").click()
    assert other.locator(".question .votes").inner_text() == "1"

    page.goto(thread_url)
    page.click("text=Accept this answer")
    assert page.locator(".post.accepted .accepted-mark").is_visible()
    assert page.locator(".post.accepted .post-body pre").count() == 1
    shoot(page, "forum-thread-desktop")
    phone, mobile = on_phone(browser, asker, thread_url)
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the thread page is {width} px wide on a 390 px phone"
    shoot(mobile, "forum-thread-phone")
    phone.close()
    page.goto(site["url"] + "/forum/")
    assert "answered" in page.locator(".threads").first.inner_text()
    shoot(page, "forum-index-desktop")
    asker.close()
    helper.close()


def test_two_people_chat_live(site, browser):  # noqa: F811
    one, a = signed_up(browser, site, f"chatter{site['url'][-5:]}")
    two, b = signed_up(browser, site, f"listener{site['url'][-5:]}")
    for page in (a, b):
        page.goto(site["url"] + "/chat/general/")
        connected = "document.getElementById('chat-status').textContent.startsWith('Connected')"
        page.wait_for_function(connected, timeout=30_000)  # (not "Disconnected: reconnecting")
    a.fill("#chat-input", "Hello from the first browser")
    a.press("#chat-input", "Enter")
    b.wait_for_selector("#chat-log li:has-text('Hello from the first browser')", timeout=30_000)
    b.fill("#chat-input", "Got it <b>live</b>")
    b.click("text=Send")
    a.wait_for_selector("#chat-log li:has-text('Got it <b>live</b>')", timeout=30_000)
    assert a.locator("#chat-log b").count() == 0  # shown as text, never as HTML
    assert b.locator("#chat-input").input_value() == ""
    shoot(a, "chat-desktop")
    phone, mobile = on_phone(browser, two, site["url"] + "/chat/general/")
    mobile.wait_for_selector("#chat-log li:has-text('Hello from the first browser')", timeout=30_000)  # history
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the chat page is {width} px wide on a 390 px phone"
    shoot(mobile, "chat-phone")
    phone.close()
    one.close()
    two.close()


def test_showcase_upload_is_profiled_by_the_worker(site, browser):  # noqa: F811
    import tinymlkit

    model = Path(tinymlkit.__file__).parent / "course/content/applications/02-keyword-spotting/yes_no.tflite"
    context, page = signed_up(browser, site, f"maker{site['url'][-5:]}")
    page.goto(site["url"] + "/showcase/")
    page.click("text=Show your project")
    page.fill("#id_title", "Yes/no keyword spotter")
    page.fill("#id_body", "Two words on a **Nano 33 BLE**: 20 KB of model.")
    page.set_input_files("#id_model", str(model))
    page.select_option("#id_board", "nano33ble")
    page.click("text=Publish")
    page.wait_for_selector("#profile", timeout=120_000)  # the page reloads itself once the worker is done
    table = page.locator("#profile").inner_text()
    assert "19776 bytes" in table and "FULLY_CONNECTED" in table and "fits" in table
    shoot(page, "showcase-desktop")
    phone, mobile = on_phone(browser, context, page.url)
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the project page is {width} px wide on a 390 px phone"
    shoot(mobile, "showcase-phone")
    phone.close()
    context.close()
