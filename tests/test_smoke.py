def test_home_page_names_the_partnership(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Safer Kingston Partnership" in response.get_data(as_text=True)
