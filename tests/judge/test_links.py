from jianbao.judge.links import PolicyIndex, cited_titles, document_titles


def test_documents_are_found_by_number_and_title():
    index = PolicyIndex()
    index.add_document(
        "plan",
        "国家卫生健康委关于印发《全国医疗机构信息互通共享三年攻坚行动方案》的通知",
        "国卫规划发〔2023〕12号\n各省、自治区、直辖市卫生健康委：",
    )
    index.add_document("emr", "关于加快推进电子病历系统应用的通知", "国卫医发〔2023〕3号")
    assert len(index) == 2
    assert index.cited_by("专家解读《全国医疗机构信息互通共享三年攻坚行动方案》", "") == ["plan"]
    assert index.cited_by("一图读懂", "根据规划发[2023]12号文件要求，到2025年……") == ["plan"]
    assert index.cited_by("解读", "《关于加快推进电子病历系统应用的通知》印发后") == ["emr"]
    assert index.cited_by("无关", "加快推进电子病历系统应用，提升水平。") == []
    assert (
        index.cited_by("关于加快推进电子病历系统应用的通知", "国卫医发〔2023〕3号", exclude="emr")
        == []
    )


def test_titles_cited_and_names_of_a_document():
    assert "关于加快推进电子病历系统应用" in document_titles("关于加快推进电子病历系统应用的通知")
    assert cited_titles("根据《中华人民共和国数据安全法》和《方案》") == {
        "中华人民共和国数据安全法"
    }
