def test_directory_renders(client, net):
    response = client.get("/stations/")
    assert response.status_code == 200
    assert "东镇社工站" in response.content.decode()
