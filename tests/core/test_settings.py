import pytest

from manabiya.cli import main
from manabiya.settings import _email_settings


def test_email_url_smtp_with_tls():
    config = _email_settings("smtp+tls://mailer:p%40ss@mail.example.jp:587")
    assert config["EMAIL_DELIVERY_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "mail.example.jp"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_file_and_console():
    assert _email_settings("file:///srv/mail")["EMAIL_FILE_PATH"] == "/srv/mail"
    assert _email_settings("console:")["EMAIL_DELIVERY_BACKEND"].endswith("console.EmailBackend")


def test_email_url_unknown_scheme_is_an_error():
    with pytest.raises(RuntimeError):
        _email_settings("pigeon://coop")


def test_console_script_maps_dashes_to_command_names(capsys):
    """`manabiya remove-stale-contenttypes` runs Django's remove_stale_contenttypes command."""
    with pytest.raises(SystemExit) as done:
        main(["manabiya", "remove-stale-contenttypes", "--help"])
    assert done.value.code == 0
    assert "usage: manabiya remove_stale_contenttypes" in capsys.readouterr().out
