"""`SettingsDep`: the settings the running app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from paybill_control_plane.config import Settings


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
