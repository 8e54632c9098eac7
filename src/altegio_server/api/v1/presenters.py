"""v1 wire shapes: domain rows in, the vendor's v1 objects out (with their OpenAPI schemas)."""

from __future__ import annotations

from typing import Any

AUTH_USER = {
    "type": "object",
    "required": ["id", "user_token", "name", "phone", "login", "email", "avatar", "is_approved",
                 "is_email_confirmed"],
    "properties": {
        "id": {"type": "integer"},
        "user_token": {"type": "string"},
        "name": {"type": "string"},
        "phone": {"type": "string", "description": '"" when the user has no phone'},
        "login": {"type": "string", "description": "the login as sent"},
        "email": {"type": "string", "description": '"" when the user has no e-mail'},
        "avatar": {"type": "string"},
        "is_approved": {"type": "boolean"},
        "is_email_confirmed": {"type": "boolean"},
    },
}


def auth_user(user: dict[str, Any], token: str, login: str) -> dict[str, Any]:
    """The user of a successful /auth: every field present, texts never null."""
    return {
        "id": user["id"],
        "user_token": token,
        "name": user["name"],
        "phone": user["phone"] or "",
        "login": login,
        "email": user["email"] or "",
        "avatar": user["avatar"],
        "is_approved": bool(user["is_approved"]),
        "is_email_confirmed": bool(user["is_email_confirmed"]),
    }
