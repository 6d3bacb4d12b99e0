"""The browser fixture drives a real headless Chromium."""


def test_chromium_renders_a_page(page) -> None:
    page.set_content("<p id='x'>summitkg</p>")
    assert page.inner_text("#x") == "summitkg"
