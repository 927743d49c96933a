import { DownloadOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { Button, Flex, Typography } from 'antd';
import { urlOf } from '../../api/client';

const NOTES: { head: string; text: string }[] = [
  { head: '两张工作表', text: '模板有“干部”“材料”两张表（另附“填写说明”），可以只填其中一张；表名和列名请勿修改，第 2、3 行的示例导入前请删除。' },
  { head: '必填列', text: '干部表：档案号、姓名、管理单位代码；材料表：档案号、类号、材料名称。列名带红色“*”的为必填。' },
  { head: '日期', text: '按文本填写“年.月.日”，如 2003.05.07；只知年月写 2003.05，只知年份写 2003。' },
  { head: '代码项', text: '性别、民族、政治面貌、学历、人员状态按数据字典中的名称填写（如 汉族、中共党员、大学本科毕业、在职）；管理单位代码是单位在本系统中的代码，可向安全保密管理员查询。' },
  { head: '类号', text: '1～10；第四类、第九类须写到小类（4-1～4-4、9-1～9-4）。份号可不填，由系统按排序规则编号。' },
  { head: '重复导入', text: '是安全的：干部按档案号、材料按档案号＋类号＋份号识别，与系统中一致的数据不会被改动。' },
  { head: 'CSV 文件', text: '干部、材料各一个文件，列名同模板，UTF-8 或 GB18030 编码；一个文件不超过 20 MB。' },
];

/** Step ①: the template and what a clerk must know before filling it in. */
export function ImportGuide() {
  return (
    <Flex gap={24} align="flex-start" wrap>
      <Flex vertical gap={8} style={{ width: 220, flex: 'none' }}>
        <Button
          type="primary"
          size="large"
          icon={<DownloadOutlined />}
          href={urlOf(api.catalogueIo.template)}
          download
          data-testid="download-template"
        >
          下载导入模板
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Excel 工作簿（.xlsx），内含填写说明和类号表
        </Typography.Text>
      </Flex>
      <ul style={{ margin: 0, paddingInlineStart: 18, flex: 1, minWidth: 320 }} data-testid="import-guide">
        {NOTES.map((n) => (
          <li key={n.head} style={{ marginBottom: 4 }}>
            <Typography.Text strong>{n.head}</Typography.Text>
            <Typography.Text type="secondary">：</Typography.Text>
            {n.text}
          </li>
        ))}
      </ul>
    </Flex>
  );
}
