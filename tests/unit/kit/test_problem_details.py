from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, EmailStr, field_validator

from pfdo_kit.auth import TokenVerifier
from pfdo_kit.edge import EdgeMiddleware
from pfdo_kit.errors import ProblemError, install_error_handlers


class Body(BaseModel):
    age: int
    name: str
    email: EmailStr | None = None

    @field_validator("name")
    @classmethod
    def not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("Имя не может быть пустым")
        return v


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(EdgeMiddleware, networks=[], verifier=TokenVerifier([], "pfdo-gateway", "pfdo"))

    @app.post("/things")
    def create(body: Body):
        raise ProblemError(409, "thing-exists", "Такая запись уже есть", field="name")

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app


client = TestClient(make_app(), raise_server_exceptions=False)


def test_validation_error_is_problem_json_in_russian_with_fields():
    r = client.post("/things", json={"age": "old", "name": " "}, headers={"X-Request-ID": "req-1"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "urn:pfdo:problem:validation"
    assert body["title"] == "Проверьте введённые данные"
    assert body["field"] == "age"
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "age": "Ожидается целое число", "name": "Имя не может быть пустым"}
    assert body["request_id"] == "req-1" and r.headers["x-request-id"] == "req-1"


def test_raised_problem_keeps_status_type_and_field():
    r = client.post("/things", json={"age": 7, "name": "Аня"})
    assert (r.status_code, r.json()["type"], r.json()["field"]) == (409, "urn:pfdo:problem:thing-exists", "name")


def test_unknown_route_and_crash_reveal_nothing():
    assert client.get("/nope").json()["title"] == "Объект не найден"
    r = client.get("/boom")
    assert r.status_code == 500 and "secret" not in r.text


def test_a_body_that_is_not_json_is_400_naming_the_body_not_a_character_offset():
    r = client.post("/things", content=b'{"age": 7, "name": ', headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert (r.json()["type"], r.json()["field"]) == ("urn:pfdo:problem:bad-request", "body")
    assert r.json()["title"] == "Некорректный запрос: тело не читается как JSON"


def test_a_library_message_is_said_in_russian_too():
    r = client.post("/things", json={"age": 7, "name": "Аня", "email": "не-почта"})
    assert r.status_code == 422
    assert {e["field"]: e["message"] for e in r.json()["errors"]} == {"email": "Неверный адрес электронной почты"}
