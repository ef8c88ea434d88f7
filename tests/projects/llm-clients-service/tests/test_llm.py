from openai import OpenAI


def test_client_is_built() -> None:
    assert OpenAI(api_key="test").max_retries == 2
